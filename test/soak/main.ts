/**
 * `npm run soak [-- --dossiers=60 --label=before …]`: a soak run (docs/soak.md), its result printed
 * and written to bench/results/soak-<date>-<label>.json. Exits 1 when a goal is missed, 2 when the
 * run itself could not be made.
 */
import { soakOptionsFrom } from './options';
import { describeResult, writeResult } from './report';
import { quietTemporalRuntime } from './runtime';
import { runSoak } from './soak';

async function main(): Promise<number> {
  const options = soakOptionsFrom(process.env, process.argv.slice(2));
  quietTemporalRuntime();
  const result = await runSoak(options);
  const file = await writeResult(result, options.resultsDir);
  console.log(describeResult(result));
  console.log(`result: ${file}`);
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
