import { fetchSuite } from './support/fetch-suite.js';

fetchSuite('bun');
