// The payer prices the sandbox's shared drug sample: one vocabulary with the catalogue and the demo.
export * from '../data/drugs.js';
