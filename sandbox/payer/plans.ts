// The payer adjudicates the sandbox's shared plans, the same ones pharmacies accept and the demo's
// patients carry.
export * from '../data/plans.js';
