// Entry of the upload-reading worker thread (see upload-reader.ts). A worker starts without
// the TypeScript loader the server runs under (tsx, or vitest's), so it registers tsx for
// itself and then loads the real code. Plain JavaScript for that reason.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
