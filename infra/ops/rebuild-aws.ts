// `npm run rebuild -- --stage <name>`: starts a run of the stage's rebuild state machine (infra/constructs/
// rebuild-fan-out.ts) and follows it until it ends, as the deploy-time trigger starts one after a deploy.
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RebuildRequest } from '../../functions/render/commands.ts';
import type { RebuildSummary } from '../../functions/render/rebuild-command.ts';

/** How often the run's status is asked for. */
const POLL_MS = 5_000;

export async function rebuildInAws(
  stateMachineArn: string,
  request: RebuildRequest,
  report: (line: string) => void,
  client: SFNClient = new SFNClient({}),
): Promise<RebuildSummary | undefined> {
  const started = performance.now();
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(request) }),
  );
  if (!executionArn) throw new Error('rebuild: Step Functions started no execution');
  report(`rebuild: run started (${executionArn})`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const run = await client.send(new DescribeExecutionCommand({ executionArn }));
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (run.status === 'RUNNING') {
      report(`rebuild: running in AWS, ${seconds} s`);
      continue;
    }
    if (run.status !== 'SUCCEEDED')
      throw new Error(
        `rebuild: the run ended ${run.status} after ${seconds} s (${run.error ?? ''} ${run.cause ?? ''}); its log group and the RunFailed alarm say more. Run it again to finish: pages written so far are kept.`,
      );
    const output = JSON.parse(run.output ?? '{}') as { summary?: RebuildSummary; plan?: { pages: number } };
    report(
      output.summary
        ? `rebuild: done in AWS in ${seconds} s ${JSON.stringify(output.summary)}`
        : `rebuild: done in AWS in ${seconds} s, nothing changed (${output.plan?.pages ?? '?'} pages)`,
    );
    return output.summary;
  }
}
