// `npm run build:client`: writes the browser bundles' generated module (infra/bundling/client-assets.ts) and says
// what it wrote. `npm run dev` runs it before the server, as the local build does for `npm start`.
import { CLIENT_MODULE, writeClientModule } from '../infra/bundling/client-assets.ts';

const { scripts, written } = await writeClientModule();
const sizes = Object.entries(scripts).map(([name, code]) => `${name} ${(code.length / 1024).toFixed(1)} KB`).join(', ');
console.error(`trustgate: ${CLIENT_MODULE} ${written ? 'written' : 'up to date'} (${sizes})`);
