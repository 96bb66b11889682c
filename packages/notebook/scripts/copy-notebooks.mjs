// Copies the repository's course notebooks (../../notebooks) into this package's notebooks/ before
// `npm pack`, so that `convlab init` / `convlab-course` can put them into a course folder.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', '..', '..', 'notebooks');
const target = join(here, '..', 'notebooks');
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true, filter: (path) => !path.includes('.ipynb_checkpoints') });
console.log(`copied ${source} → ${target}`);
