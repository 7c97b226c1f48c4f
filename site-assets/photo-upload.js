// Photo uploads, shared by the 投稿 page and the editor desk (loaded before either, both `defer`): asks
// /api/uploads for a presigned POST, then sends the file with XMLHttpRequest, whose upload events drive the given
// <progress>. Resolves with the upload's key; rejects with a message to show.

// What S3 answers a refused presigned POST with (an XML <Error>), as a reason a contributor can act on. In AWS the
// form goes straight to the uploads bucket (CORS allows the page to read the answer), so CloudFront's 403 → 404
// page mapping never hides it.
window.newsroomUploadError = (status, body) => {
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
};

window.newsroomUploadPhoto = async (file, progress) => {
  const granted = await fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contentType: file.type, size: file.size }),
  });
  const grant = await granted.json().catch(() => ({}));
  if (granted.status !== 201) throw new Error(grant.error?.message ?? `HTTP ${granted.status}`);
  const data = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) data.append(name, value);
  data.append('file', file);
  await new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', grant.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener('load', () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(new Error(window.newsroomUploadError(request.status, request.responseText))),
    );
    request.addEventListener('error', () => reject(new Error('网络连接失败')));
    request.send(data);
  });
  progress.value = 100;
  return grant.key;
};
