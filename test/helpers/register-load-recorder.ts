// Passed to `node --import`: installs the load recorder before the program's first import.

import { register } from 'node:module';

register('./load-recorder.js', import.meta.url);
