import { definePackageBuild } from '../../tsup.base.ts';

// Two builds: the library (dependencies stay external) and the sandbox program, bundled with
// everything it imports so that the image needs nothing but `node` and what lands in dist. The
// program's MCP client is split into `dist/bin-chunks/`, loaded only by a sandbox that has MCP
// servers. Each build keeps the other's files when it cleans, so the two never race. The program
// exports nothing; the library build declares it (`dist/bin.d.ts`) for `@ngb/sandbox/bin`.
export default [
  definePackageBuild(['src/index.ts'], {
    clean: ['!bin.js', '!bin.js.map', '!bin-chunks/**'],
    dts: { entry: { index: 'src/index.ts', bin: 'src/bin.ts' }, compilerOptions: { paths: {} } },
  }),
  definePackageBuild(
    { bin: 'src/bin.ts' },
    {
      clean: ['!index.*'],
      dts: false,
      noExternal: [/.*/],
      splitting: true,
      esbuildOptions(options) {
        options.chunkNames = 'bin-chunks/[name]-[hash]';
      },
    },
  ),
];
