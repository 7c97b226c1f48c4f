// Lambda adapter: hands a JSON event to a function asynchronously (InvocationType Event) and does not wait for it.
// Only render's rare rebuild continuation uses it, so the Lambda client is not bundled (it would add ~150 KB to
// render's bundle and its cold start): it is required on first use, from the Lambda runtime's own SDK in AWS
// (`@aws-sdk/client-lambda` is external in infra/constructs/bundling.ts), from node_modules here.
import { createRequire } from 'node:module';

type LambdaSdk = typeof import('@aws-sdk/client-lambda');

let client: { sdk: LambdaSdk; lambda: InstanceType<LambdaSdk['LambdaClient']> } | undefined;
const lambda = () => {
  if (!client) {
    const sdk = createRequire(import.meta.url)('@aws-sdk/client-lambda') as LambdaSdk;
    client = { sdk, lambda: new sdk.LambdaClient({}) };
  }
  return client;
};

export function lambdaAsyncInvoker(functionName: string): (event: unknown) => Promise<void> {
  return async (event) => {
    const { sdk, lambda: api } = lambda();
    await api.send(
      new sdk.InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
  };
}
