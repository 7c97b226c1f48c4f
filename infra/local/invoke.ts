// `npm run invoke -- <function> <event.json>`: runs one handler once against the running local stack, like
// `sam local invoke`, and prints what it returned.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { handlerEntry, type LambdaName } from '../constructs/bundling.ts';
import { connectToLocalRuntime } from './connect.ts';
import { invokeLocally } from './lambda-context.ts';

const fail = (message: string): never => {
  console.error(`error: ${message}`);
  process.exit(1);
};

const [name, eventFile] = process.argv.slice(2);
if (!name || !eventFile)
  fail('usage: npm run invoke -- <function> <event.json>   (e.g. submit events/submit/seed-article.json)');
const fn = name as LambdaName;
if (!existsSync(handlerEntry(fn)))
  fail(`no function "${name}": expected ${path.relative(process.cwd(), handlerEntry(fn))}`);
if (!existsSync(String(eventFile))) fail(`no event file ${eventFile}`);

let event: unknown;
try {
  event = JSON.parse(readFileSync(String(eventFile), 'utf8'));
} catch (error) {
  fail(`${eventFile} is not valid JSON: ${(error as Error).message}`);
}

try {
  connectToLocalRuntime();
} catch (error) {
  fail((error as Error).message);
}

const started = performance.now();
try {
  const result = await invokeLocally(fn, event);
  console.log(JSON.stringify(result ?? null, null, 2));
  console.error(`(${fn} returned in ${(performance.now() - started).toFixed(0)} ms)`);
} catch (error) {
  fail(`${fn} threw: ${(error as Error).message}`);
}
