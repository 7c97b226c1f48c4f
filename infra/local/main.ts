// `npm start`: the local runtime, configured from the environment, with a clean shutdown on Ctrl-C.
import './log-level.ts';
import { createLogger } from '../../shared/log.ts';
import { siteConfig } from '../../shared/site-config.ts';
import { RuntimeStartError, startRuntime } from './runtime.ts';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: PORT must be a port number (got "${process.env.PORT}").`);
  process.exit(1);
}

try {
  const runtime = await startRuntime({
    port,
    dataDir: process.env.DATA_DIR ?? '.data',
    seed: process.env.SEED !== 'none',
    ...(process.env.EDITOR_TOKEN ? { editorToken: process.env.EDITOR_TOKEN } : {}),
    ...(process.env.EDITOR_NAME ? { editorName: process.env.EDITOR_NAME } : {}),
    ...(process.env.CHIEF_EDITOR_TOKEN ? { chiefEditorToken: process.env.CHIEF_EDITOR_TOKEN } : {}),
    ...(process.env.CHIEF_EDITOR_NAME ? { chiefEditorName: process.env.CHIEF_EDITOR_NAME } : {}),
    log: createLogger({ service: 'local-runtime' }),
  });
  console.log(
    [
      '',
      `  Newsroom pipeline is running at ${runtime.url}/`,
      '',
      `  Site:         ${runtime.url}/`,
      `  Seed article: ${runtime.url}/2022/0415/2a8c6bce1fad40bb.html`,
      `  Submit (投稿): ${runtime.url}/submit/`,
      `  Editor desk:  ${runtime.url}/admin/   (sign-off: ${process.env.SIGN_OFF ?? siteConfig.signOff})`,
      `  Editor token (editors, "${runtime.editorName}"):                      ${runtime.editorToken}`,
      `  Chief editor token (editors + chief-editors, "${runtime.chiefEditorName}"): ${runtime.chiefEditorToken}`,
      `  Data:         ${runtime.dataDir}`,
      '',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n  ${signal}: stopping…`);
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof RuntimeStartError) console.error(`error: ${error.message}`);
  else console.error(`error: the local runtime failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
}
