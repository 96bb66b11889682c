// Records one run of notebook 06's full recipe with the command-line trainer into
// 06-lenet-full-run.json (read by the notebook's "full run" cell): the command's JSON report, with
// the recipe, date, commit and machine. Run it on a quiet machine from the repository root after
// `npm run build`:  node notebooks/results/record-lenet-run.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const args = ['train', 'lenet5', '--dataset', 'fashion-mnist', '--epochs', '10', '--json'];
const recipe = { model: 'lenet5', trainImages: 55000, validationImages: 5000, testImages: 10000, epochs: 10, batchSize: 64, lr: 0.01, momentum: 0.9, seed: 0 };
const cli = new URL('../../packages/core/dist/cli/main.js', import.meta.url).pathname;
// The report is the last line of stdout; the progress bar goes to stderr.
const stdout = execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const report = JSON.parse(stdout.trim().split('\n').at(-1));
if (report.stopped !== null || report.epochs.length !== recipe.epochs) throw new Error(`the run did not finish its ${recipe.epochs} epochs: ${JSON.stringify(report.stopped)}`);
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const cpu = cpus()[0]?.model.includes('EPYC') ? 'AMD EPYC' : (cpus()[0]?.model ?? 'unknown CPU');
const record = {
  command: `npx convlab ${args.join(' ')}`,
  recipe,
  date: new Date().toISOString().slice(0, 10),
  commit,
  machine: `${cpus().length} cores (${cpu}, Node ${process.versions.node.split('.').slice(0, 2).join('.')}), nothing else running`,
  report,
};
writeFileSync(new URL('06-lenet-full-run.json', import.meta.url), `${JSON.stringify(record, null, 1)}\n`);
console.log(`test accuracy ${(100 * report.testAccuracy).toFixed(2)} % in ${report.seconds.toFixed(1)} s (${Math.round(report.imagesPerSecond)} images/s)`);
