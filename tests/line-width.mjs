// Fails when a source line is wider than the limit (the widest line when the check was added;
// lower it as long lines get wrapped). Usage: node tests/line-width.mjs [limit]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const limit = Number(process.argv[2] ?? 400);
const files = execFileSync('git', ['ls-files', 'packages/*/src/*.ts', 'packages/*/test/*.ts', 'packages/*/scripts/*.mjs', 'tests/*.ts', 'tests/*.mjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '' && !f.endsWith('/binary.ts'));
const wide = [];
for (const file of files) {
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if ([...line].length > limit) wide.push(`${file}:${i + 1}: ${[...line].length} characters`);
  });
}
if (wide.length > 0) {
  console.error(`lines wider than ${limit} characters:\n${wide.join('\n')}`);
  process.exit(1);
}
