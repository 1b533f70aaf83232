import { definePackageBuild } from '../../tsup.base.ts';

// Two builds: the library (dependencies stay external) and the sandbox program, bundled into one
// file with everything it imports so that the image needs nothing but `node` and `dist/bin.js`.
// The library build keeps bin.js when it cleans, so the two never race.
export default [
  definePackageBuild(['src/index.ts'], { clean: ['!bin.js', '!bin.js.map'] }),
  definePackageBuild({ bin: 'src/bin.ts' }, { clean: false, dts: false, noExternal: [/.*/] }),
];
