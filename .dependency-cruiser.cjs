/**
 * The import picture the build enforces (npm run lint). Layers, bottom up:
 *   shared/src                       the domain: no framework, no Node built-in;
 *   cloud/src/{db,common,config,generated}   lower layers: import no feature;
 *   cloud/src/<feature>/             a feature: other features reach it only through its public
 *                                    file, cloud/src/<feature>/index.ts;
 *   entry points                     main.ts, app.module.ts (which alone wires <feature>.module.ts),
 *                                    bootstrap.ts, relay*.ts, tools/, bench/, seed/, testing/:
 *                                    public files too.
 * Tests: a unit spec sits in its feature and may use that feature's internals, others' public
 * files only. An e2e suite (test/**\/*.e2e.ts) and its own support folder may take a feature's
 * internals (they pull services out of the container by class and assemble relays by hand);
 * test/support/, which every suite uses, may not.
 * No runtime cycles anywhere; a type-only import is erased at compile time and may close a loop.
 */
const lower = 'db|common|config|generated';
const entries = 'bench|seed|testing|tools';
/** Every other folder of cloud/src is a feature, so a new one is bounded from its first file. */
const feature = `^cloud/src/(?!(${lower}|${entries})/)[^/]+/`;
const publicFile = '^cloud/src/[^/]+/index[.]ts$';
const spec = '[.]spec[.]tsx?$';

module.exports = {
  forbidden: [
    {
      name: 'shared-no-framework',
      comment:
        'shared/ is bundled by the mini program and the console: pure TypeScript, no Nest, Prisma, Taro, React or Node built-ins.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: spec },
      to: {
        path: '(^|/)node_modules/(@nestjs|@prisma|@tarojs|react|react-dom)/|^(cloud|miniapp|web)/',
      },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'shared/ runs in the mini program and the browser.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: spec },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'feature-internals',
      comment:
        "Another feature's internals: import its public file (cloud/src/<feature>/index.ts), and add what you need there.",
      severity: 'error',
      from: { path: '^cloud/src/([^/]+)/' },
      to: {
        path: feature,
        pathNot: ['^cloud/src/$1/', publicFile],
      },
    },
    {
      name: 'entry-point-internals',
      comment: "Entry points use a feature's public file; only app.module.ts wires <feature>.module.ts.",
      severity: 'error',
      from: { path: '^cloud/src/[^/]+[.]ts$', pathNot: '^cloud/src/app[.]module[.]ts$' },
      to: { path: feature, pathNot: publicFile },
    },
    {
      name: 'app-module-internals',
      severity: 'error',
      from: { path: '^cloud/src/app[.]module[.]ts$' },
      to: {
        path: feature,
        pathNot: '^cloud/src/[^/]+/(index|[^/]+[.]module)[.]ts$',
      },
    },
    {
      name: 'test-support-internals',
      comment: "test/support/ serves every suite: it uses a feature's public file.",
      severity: 'error',
      from: { path: '^test/support/' },
      to: { path: feature, pathNot: publicFile },
    },
    {
      name: 'feature-upward',
      comment:
        'A feature imports no entry point (tools, bench, seed, testing, main, app.module); its specs may use testing/.',
      severity: 'error',
      from: { path: feature, pathNot: spec },
      to: { path: `^cloud/src/((${entries})/|[^/]+[.]ts$)` },
    },
    {
      name: 'lower-layer-upward',
      comment:
        'db, common, config and generated sit under every feature and import none (their specs may use testing/).',
      severity: 'error',
      from: { path: `^cloud/src/(${lower})/`, pathNot: spec },
      to: { path: `^cloud/src/(?!(${lower})/)` },
    },
    {
      name: 'no-circular',
      comment: 'A runtime cycle makes load order matter (a class is undefined when its decorator metadata is read).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^cloud/src/generated/'] },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
