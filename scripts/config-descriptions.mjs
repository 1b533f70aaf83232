// What each key of `ngb.config.json` is for, by its path in docs/configuration.md. Keys, types,
// defaults and bounds come from the schema itself; tests/config-reference.test.ts fails when a key
// of the schema has no description here, or a description names a key the schema no longer has.

/** How a map's keys are written in paths, by the map's path. */
export const recordKeyNames = {
  pricing: '<model>',
  channels: '<channel>',
  agents: '<folder>',
  'agents.<folder>.mcpServers.headers': '<header>',
  'agents.<folder>.mcpServers.env': '<NAME>',
};

/** Bounds that depend on the machine, written in words so the page is the same everywhere. */
export const allowedInWords = {
  'agents.<folder>.cpus': '≥ 0.01, ≤ the CPU cores of the machine',
};

const budgetAmount = (whose, period) => ({
  [`${whose}.${period}`]: `Limit per ${period === 'day' ? 'day' : 'month'} (the day is counted in \`budgets.timeZone\`); name \`usd\`, \`tokens\` or both.`,
  [`${whose}.${period}.usd`]: 'US dollars.',
  [`${whose}.${period}.tokens`]: 'Tokens (input and output).',
});

const budgetLimits = (whose, what) => ({
  [whose]: what,
  ...budgetAmount(whose, 'day'),
  ...budgetAmount(whose, 'month'),
});

const streamingWindow = (path) => ({
  [path]: 'Limit for this window.',
  [`${path}.messages`]: 'Messages counted in one window; the next one is dropped.',
  [`${path}.windowSeconds`]: 'Length of a window in seconds (up to a week).',
});

const model = (path) => ({
  [`${path}.provider`]:
    'The model provider; without it, the one whose key is set (see providers.md). Never a silent switch to another vendor.',
  [`${path}.model`]: "The provider's model id.",
  [`${path}.maxTokens`]: 'Most output tokens of one model call.',
  [`${path}.temperature`]: 'Sampling temperature.',
});

/** Description of every key, by path. */
export const configDescriptions = {
  $schema: 'A JSON schema reference for editors; ignored by ngb.',
  dataDir: 'Where the store (`ngb.db`), logs and channel state live, relative to the config file. See operations.md.',
  agentsDir: 'The folder holding one folder per agent (`main`, ...) and the shared `global` folder.',
  allowAgentsDirOutsideProject: '`agentsDir` may point outside the project folder only when this is true.',
  model: 'The default model of every agent.',
  ...model('model'),
  'model.baseURL': 'An OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, ...); `OPENAI_BASE_URL` does the same.',
  pricing: "Prices per million tokens for models the providers' own tables do not know (a local model, a negotiated price).",
  'pricing.<model>': 'The model id, as in `model.model`.',
  'pricing.<model>.input': 'US dollars per million input tokens.',
  'pricing.<model>.output': 'US dollars per million output tokens.',
  'pricing.<model>.cacheWrite': 'US dollars per million tokens written to the prompt cache.',
  'pricing.<model>.cacheRead': 'US dollars per million tokens read from the prompt cache.',
  runtime: 'Where tools run.',
  'runtime.driver':
    '`docker`: a hardened sandbox per session. `local`: tools run on this machine, NOT ISOLATED (development only; also needs `allowLocalRuntime`). `auto` is an older spelling of `docker`.',
  'runtime.image': 'The sandbox image (`ngb image build` builds `ngb-agent:latest`).',
  'runtime.maxSandboxes': 'Sandboxes running at once; sessions beyond wait in a queue.',
  'runtime.idleTimeoutMinutes': 'An idle sandbox is removed after this long (its session keeps its transcript).',
  'runtime.diskLimits':
    '`on`: each agent folder lives on its own size-limited image (`agents.<folder>.diskLimitMb`; needs root). `off`: no limit.',
  allowLocalRuntime: 'Lets `runtime.driver` be `local`; the local runtime is never chosen by itself.',
  channels: 'The chat platforms `ngb serve` connects, by channel name. Options per channel: see the channel sections below.',
  'channels.<channel>': 'One of telegram, slack, discord, whatsapp, qq, feishu, wecom, dingtalk, web.',
  'channels.<channel>.enabled': 'Set to false to keep the settings but not connect the channel.',
  'channels.<channel>.streaming':
    "Replies stream into one message while they are written (edits), on channels that can edit; `false` sends whole replies. `{}` takes the channel's defaults.",
  'channels.<channel>.streaming.firstAfterChars': 'Characters written before the first message is sent.',
  'channels.<channel>.streaming.firstAfterMs': 'Milliseconds after which the first message is sent, whatever its length.',
  'channels.<channel>.streaming.editIntervalMs': 'The least time between two edits of the message, in milliseconds.',
  agents: 'The agents, by folder name (`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`; `global` is reserved). `ngb agent add` adds one.',
  'agents.<folder>': 'One agent: its folder under `agentsDir` holds its `AGENTS.md` (memory and instructions), skills and files.',
  'agents.<folder>.name': 'Display name.',
  'agents.<folder>.assistantName':
    'The name a group message starts with to mention the agent (`@Name ...`) on `mention` wirings.',
  'agents.<folder>.model': "The agent's model, over the top-level `model`.",
  ...model('agents.<folder>.model'),
  'agents.<folder>.model.fallbacks': 'Models tried in order when the model keeps failing on a turn.',
  'agents.<folder>.model.fallbacks.provider': 'Provider of the fallback model.',
  'agents.<folder>.model.fallbacks.model': 'The fallback model id.',
  'agents.<folder>.model.contextWindow': "The model's context window in tokens, when the provider's table does not know it.",
  'agents.<folder>.model.compactAt':
    'Share of the context window at which older turns are compacted into a summary (such as 0.7).',
  'agents.<folder>.model.maxPromptMessages': 'Most transcript messages sent in one prompt.',
  'agents.<folder>.budget':
    "The agent's hard budget; near its end the turn moves to `cheaperModel`, at it the agent refuses once, clearly.",
  ...budgetAmount('agents.<folder>.budget', 'day'),
  ...budgetAmount('agents.<folder>.budget', 'month'),
  'agents.<folder>.budget.cheaperModel': 'The model used once spend passes `budgets.nearShare` of a limit.',
  'agents.<folder>.budget.cheaperModel.provider': 'Provider of the cheaper model.',
  'agents.<folder>.budget.cheaperModel.model': 'The cheaper model id.',
  'agents.<folder>.network':
    '`"none"` (the default), or `{ "allow": ["api.example.com", "*.example.org"], "maxBytesPerTurn"?: n }`: domains its tools may reach through the host\'s egress proxy. See security.md.',
  'agents.<folder>.mounts': 'Extra host folders under `/workspace/extra/`, each allowed by `~/.config/ngb/mount-allowlist.json`.',
  'agents.<folder>.mounts.hostPath': 'Absolute host path (`~/` allowed); resolved through symlinks before the check.',
  'agents.<folder>.mounts.containerPath': "Name under `/workspace/extra/` (default: the host folder's name).",
  'agents.<folder>.mounts.readonly': 'Mount read-only (always so for agents other than `main`).',
  'agents.<folder>.timezone': 'IANA time zone of the agent (scheduled tasks, heartbeats, dates in prompts).',
  'agents.<folder>.memoryMb': 'Memory limit of its sandbox, MiB.',
  'agents.<folder>.cpus': 'CPU limit of its sandbox.',
  'agents.<folder>.pids': 'Process and thread limit of its sandbox.',
  'agents.<folder>.diskLimitMb': 'Size limit of the agent folder in MiB (when `runtime.diskLimits` is `on`).',
  'agents.<folder>.mcpServers':
    'MCP servers: stdio ones run inside the sandbox, remote ones through the egress proxy. See mcp.md.',
  'agents.<folder>.mcpServers.name': 'Its name; its tools are offered as `mcp__<name>__<tool>`.',
  'agents.<folder>.mcpServers.command': 'A stdio server: the command started inside the sandbox.',
  'agents.<folder>.mcpServers.args': 'Arguments of `command`.',
  'agents.<folder>.mcpServers.env': 'Environment of `command`; values that look like secrets are refused.',
  'agents.<folder>.mcpServers.env.<NAME>': 'A variable name and its value.',
  'agents.<folder>.mcpServers.url': "A remote server (streamable HTTP); its host must be on the agent's `network` allowlist.",
  'agents.<folder>.mcpServers.headers':
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal `${NAME}` the config takes
    "Headers the host's proxy adds to requests to `url`; `${NAME}` is filled in from the gateway's environment.",
  'agents.<folder>.mcpServers.headers.<header>': 'A header name and its value.',
  'agents.<folder>.mcpServers.startTimeoutMs': 'How long the server may take to start.',
  'agents.<folder>.heartbeat': "A periodic prompt in the agent's main chat; an answer of only `HEARTBEAT_OK` is never delivered.",
  'agents.<folder>.heartbeat.every': 'How often: an interval of at least a minute such as `30m`, `2h`, `1d`.',
  'agents.<folder>.heartbeat.activeHours': 'Heartbeats run only from `start` to `end` (end excluded).',
  'agents.<folder>.heartbeat.activeHours.start': 'Time of day such as `08:00`.',
  'agents.<folder>.heartbeat.activeHours.end': 'Time of day such as `22:00`.',
  'agents.<folder>.heartbeat.activeHours.timeZone': "IANA time zone of these hours (default: the agent's).",
  'agents.<folder>.heartbeat.prompt':
    'What the agent is asked (default: check on what it keeps an eye on, answer `HEARTBEAT_OK` if nothing is due).',
  'agents.<folder>.heartbeat.chat':
    'The main chat as `<channel>:<platform chat id>` (default: its first direct chat with an owner).',
  budgets: 'Budgets shared by every agent.',
  'budgets.timeZone': 'The zone in which days and months of every budget are counted.',
  'budgets.nearShare': "Share of a limit past which turns move to the agent's `budget.cheaperModel`.",
  ...budgetLimits('budgets.eachUser', "Each user's limits, across agents."),
  ...budgetLimits('budgets.eachChat', "Each chat's limits, across agents."),
  gateway: 'Limits of the gateway core.',
  'gateway.limits': 'Resource limits of the gateway process.',
  'gateway.limits.memory':
    'The memory governor: above `degradedAboveMb` of resident memory no new turn starts (messages are kept and wait), idle sandboxes are reaped and `/readyz` answers 503 `degraded`; it recovers by itself below `recoverBelowMb`.',
  'gateway.limits.memory.degradedAboveMb': 'Resident memory (MB) above which the gateway is degraded (default 512).',
  'gateway.limits.memory.recoverBelowMb': 'Resident memory (MB) below which it recovers (default 90 % of `degradedAboveMb`).',
  'gateway.maxConcurrentTurns': 'Turns running at once across sessions (default 5).',
  'gateway.maxSteps': 'Model calls in one turn (default 30).',
  'gateway.maxTurnTokens': 'Tokens one turn may use (default 500000).',
  'gateway.toolTimeoutSeconds': 'How long one tool call may take (default 120).',
  'gateway.leaseSeconds':
    "How long a session lease lasts unless renewed: a killed process's sessions wait this long (default 30).",
  'gateway.agentFileMaxBytes': 'The most the host reads of one file of an agent folder (`AGENTS.md`, `SKILL.md`).',
  'gateway.attachmentMaxBytes': 'The most bytes saved of one attached file (default 20 MiB).',
  'gateway.sendFileMaxBytes': 'The most bytes of one file the agent sends with `send_file` (default 20 MiB).',
  'gateway.stickyIdleMinutes':
    'How long a group thread stays engaged on a `mention-sticky` wiring after the agent last answered (default a day).',
  dashboard: 'The HTTP server of `ngb serve`: API, dashboard, web chat, webhooks, metrics.',
  'dashboard.enabled': 'Set to false to serve no HTTP at all.',
  'dashboard.host':
    'Address to listen on. Anything but loopback needs `NGB_DASHBOARD_TOKEN` (the server refuses to start without it).',
  'dashboard.port': 'Port to listen on; 0 picks a free one (printed at start).',
  plugins:
    'Host plugins (trusted code), loaded in this order: an npm package name, `{ "package", "config" }` or `{ "path", "config" }`. See plugins.md.',
  'plugins.package': 'An npm package name, pinned by version and hash on first load.',
  'plugins.path': 'A local plugin folder, reloaded by `ngb serve` when it changes.',
  'plugins.config': "The plugin's settings, checked by the plugin's own schema.",
  rateLimit: 'The built-in rate limiter: fixed windows per sender and per chat; off when absent.',
  ...streamingWindow('rateLimit.perSender'),
  ...streamingWindow('rateLimit.perChat'),
  log: 'The log: `<dataDir>/logs/gateway.jsonl`, read by `ngb logs`.',
  'log.level': 'Least level written.',
  'log.format': 'How `ngb serve` writes to its console: `text` for people, `json` (one object per line) for log shippers.',
  'log.maxFileSizeMb': 'The log file is rotated past this size.',
  'log.maxFiles': 'Files kept, the current one included.',
};
