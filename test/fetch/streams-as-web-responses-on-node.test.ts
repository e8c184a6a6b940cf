import { fetchSuite } from './support/fetch-suite.js';

fetchSuite('node');
