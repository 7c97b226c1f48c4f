// Imported first by `npm start`: the runtime's own logs stay quiet unless LOG_LEVEL asks for more, so the banner
// with the URL and the editor token is what a newcomer sees.
process.env.LOG_LEVEL ??= 'warn';
