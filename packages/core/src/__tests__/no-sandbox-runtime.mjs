// A sandbox runtime for the process tests whose turns call no tool: acquiring a sandbox is an error.
export const noSandboxRuntime = {
  specificationVersion: 1,
  name: 'none',
  isolated: true,
  tools: [],
  acquire: async () => {
    throw new Error('no sandbox');
  },
  list: async () => [],
  reap: async () => 0,
  close: async () => {},
};
