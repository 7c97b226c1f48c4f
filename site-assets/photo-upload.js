// @ts-check
// Photo uploads with progress, the one copy the 投稿 page and the editor desk share (loaded before either, all
// `defer`): which files a page may send, the <progress> bar of a photo's row, and the upload itself (a presigned
// POST from /api/uploads, then the file with XMLHttpRequest, whose upload events drive the bar). The pages keep
// only their own wording.

(() => {
  /** What S3 answers a refused presigned POST with (an XML <Error>), as a reason a contributor can act on. In AWS the
   * form goes straight to the uploads bucket (CORS allows the page to read the answer), so CloudFront's 403 → 404
   * page mapping never hides it.
   * @param {number} status
   * @param {unknown} body
   * @returns {string}
   */
  function uploadError(status, body) {
    const text = typeof body === 'string' ? body : '';
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
    if (/Policy expired|Request has expired/i.test(message) || code === 'ExpiredToken')
      return '上传表单已过期，请重新选择照片。';
    if (
      code === 'EntityTooLarge' ||
      status === 413 ||
      (/content-length-range/.test(message) && /too large|exceeds/i.test(message))
    )
      return '照片太大，无法上传。';
    if (code === 'EntityTooSmall') return '照片文件是空的。';
    if (/content-length-range/.test(message)) return '照片大小不在允许范围内。';
    if (/Content-Type/i.test(message)) return '照片类型与声明的不符，只接受 JPEG、PNG 或 WebP。';
    if (code === 'AccessDenied' || status === 403) return '上传被拒绝，请重新选择照片。';
    return `上传失败（HTTP ${status}${code ? `，${code}` : ''}）。`;
  }

  /** The types `POST /api/uploads` grants (the page checks them first, so a wrong file never leaves the browser). */
  const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

  /**
   * Why the page must not send `file`, or undefined when it may.
   * @param {File} file
   * @param {number} maxBytes the page's limit (its `data-max-file-bytes`, from the API's own)
   * @returns {'type' | 'size' | undefined}
   */
  function refusal(file, maxBytes) {
    if (!PHOTO_TYPES.includes(file.type)) return 'type';
    if (file.size === 0 || file.size > maxBytes) return 'size';
    return undefined;
  }

  /**
   * The bar a photo's row shows while it uploads.
   * @param {File} file
   * @returns {HTMLProgressElement}
   */
  function progressBar(file) {
    const progress = document.createElement('progress');
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute('aria-label', `${file.name} 上传进度`);
    return progress;
  }

  /**
   * Sends one photo: asks /api/uploads for a presigned POST, then posts the form with the file.
   * @param {File} file
   * @param {HTMLProgressElement} progress follows the upload
   * @returns {Promise<string>} the upload's key; rejects with a message to show
   */
  async function sendPhoto(file, progress) {
    const granted = await fetch('/api/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contentType: file.type, size: file.size }),
    });
    /** @type {{ url?: string, key?: string, fields?: Record<string, string>, error?: { message?: string } }} */
    const grant = await granted.json().catch(() => ({}));
    if (granted.status !== 201 || !grant.url || !grant.key || !grant.fields)
      throw new Error(grant.error?.message ?? `HTTP ${granted.status}`);
    const data = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) data.append(name, value);
    data.append('file', file);
    const url = grant.url;
    await /** @type {Promise<void>} */ (
      new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open('POST', url);
        request.upload.addEventListener('progress', (event) => {
          if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
        });
        request.addEventListener('load', () =>
          request.status >= 200 && request.status < 300
            ? resolve()
            : reject(new Error(uploadError(request.status, request.responseText))),
        );
        request.addEventListener('error', () => reject(new Error('网络连接失败')));
        request.send(data);
      })
    );
    progress.value = 100;
    return grant.key;
  }

  /**
   * Uploads `file` for the list item that stands for it: on success the item's `data-key` is the upload's key, on
   * failure it is marked `data-failed`.
   * @param {File} file
   * @param {HTMLElement} item
   * @param {HTMLProgressElement} progress
   * @returns {Promise<string | undefined>} why it failed, or undefined once uploaded
   */
  async function uploadPhoto(file, item, progress) {
    try {
      item.dataset.key = await sendPhoto(file, progress);
      return undefined;
    } catch (error) {
      item.dataset.failed = 'true';
      return error instanceof Error ? error.message : String(error);
    }
  }

  window.newsroomPhotos = { refusal, progressBar, uploadPhoto, uploadError };
})();
