/** The starter `agents/main/AGENTS.md`. */
export const starterMainInstructions = `# main

You are the main agent of this NanoGridBot gateway: a helpful, concise assistant.

- Your tools run in a sandbox; your working directory is this folder (\`/workspace/agent\`).
- Files you write here persist between conversations; use them for notes and work in progress.
- Say plainly when you do not know something or when a tool failed.

## Memory

Write down facts worth remembering across conversations here (preferences, names, decisions).
`;

/** The starter `agents/global/AGENTS.md`, shared read-only by every agent. */
export const starterGlobalInstructions = `# Shared instructions

Every agent of this gateway reads this file (read-only, at \`/workspace/global\` in the sandbox).
Put conventions that apply to all agents here.
`;

/** The starter `AGENTS.md` of an agent added with \`ngb agent add\`. */
export function starterAgentInstructions(folder: string): string {
  return `# ${folder}

You are the "${folder}" agent of this NanoGridBot gateway.

- Your tools run in a sandbox; your working directory is this folder (\`/workspace/agent\`).
- Files you write here persist between conversations.

## Memory

Write down facts worth remembering across conversations here.
`;
}
