import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
// Importing the application module registers every controller's endpoints.
import '../app.module';
import { buildOpenApi } from '../common/openapi';
import { REPO_ROOT } from '../config/config';

/** npm run openapi: writes docs/api/openapi.json from the endpoint schemas (no database needed). */
const out = path.join(REPO_ROOT, 'docs', 'api', 'openapi.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(buildOpenApi('api'), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
