// Worker-thread entry when running from TypeScript sources (tests, `npm start` through tsx): a worker thread
// does not inherit the parent's `--import tsx` loader, so it registers tsx itself before loading the thread.
import { register } from 'tsx/esm/api';

register();
await import('./training-thread.ts');
