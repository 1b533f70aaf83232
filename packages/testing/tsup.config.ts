import { definePackageBuild } from '../../tsup.base.ts';

export default definePackageBuild({ index: 'src/index.ts', 'fake-llm-cli': 'src/llm/fake-llm-cli.ts' });
