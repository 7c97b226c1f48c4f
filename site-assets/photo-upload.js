// Photo uploads, shared by the 投稿 page and the editor desk (loaded before either, both `defer`): asks
// /api/uploads for a presigned POST, then sends the file with XMLHttpRequest, whose upload events drive the given
// <progress>. Resolves with the upload's key; rejects with a message to show.
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
      request.status >= 200 && request.status < 300 ? resolve() : reject(new Error(`HTTP ${request.status}`)),
    );
    request.addEventListener('error', () => reject(new Error('网络连接失败')));
    request.send(data);
  });
  progress.value = 100;
  return grant.key;
};
