import { definePackageBuild } from '../../tsup.base.ts';

export default definePackageBuild({
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'testing/contracts': 'src/testing/contracts.ts',
});
