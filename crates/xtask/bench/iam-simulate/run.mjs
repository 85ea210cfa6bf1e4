// Runs every simulation of a JSON array file (iam-simulate's `Simulation` shape, written by
// `cargo xtask bench`) and prints one decision per line, in the words `abacus eval` uses:
// Allow, ExplicitDeny, ImplicitDeny, or `error: MESSAGE` when iam-simulate refuses the input.
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const WORDS = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

const file = process.argv[2];
if (!file) {
  console.error('usage: node run.mjs SIMULATIONS.json');
  process.exit(2);
}
const simulations = JSON.parse(readFileSync(file, 'utf8'));
const lines = [];
for (const simulation of simulations) {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    lines.push(`error: ${result.errors.message}`);
  } else {
    lines.push(WORDS[result.overallResult] ?? `error: unknown result ${result.overallResult}`);
  }
}
process.stdout.write(lines.join('\n') + '\n');
