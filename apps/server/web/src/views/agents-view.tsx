import { type Page, useApi } from '../api';
import { Badge, Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import type { Agent, SkillListing } from '../types';

function SkillsOf(props: { agent: Agent }) {
  const listing = useApi<SkillListing>(`/api/agents/${encodeURIComponent(props.agent.id)}/skills`);
  if (listing.error) return <ErrorState error={listing.error} what="Skills" onRetry={listing.reload} />;
  if (!listing.data) return <Loading />;
  const { skills, problems } = listing.data;
  return (
    <>
      {skills.length === 0 ? (
        <Empty title="No skill yet">
          A skill is a folder with a SKILL.md under <span class="mono">{props.agent.folder}/skills</span> or{' '}
          <span class="mono">global/skills</span>; <span class="mono">ngb skill add</span> copies one in.
        </Empty>
      ) : (
        <table class="table skills">
          <thead>
            <tr>
              <th>Skill</th>
              <th>From</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {skills.map((skill) => (
              <tr key={skill.name} data-skill={skill.name}>
                <td class="mono" title={skill.path}>
                  {skill.name}
                </td>
                <td>
                  <Badge value={skill.scope} tone={skill.scope === 'agent' ? 'info' : 'muted'} />
                  {skill.overridesGlobal && <span class="muted small"> overrides global</span>}
                </td>
                <td>{skill.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problems.length > 0 && (
        <ul class="skill-problems" aria-label={`Skills skipped for ${props.agent.name}`}>
          {problems.map((problem) => (
            <li key={`${problem.path} ${problem.reason}`} data-path={problem.path}>
              <Badge value="skipped" tone="warn" /> {problem.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The agents, each with the skills its system prompt lists and the ones skipped, with the reason. */
export function AgentsView() {
  const agents = useApi<Page<Agent>>('/api/agents');
  return (
    <>
      <PageHeader title="Agents" subtitle="Each agent's skills: what its system prompt lists, and what was skipped and why." />
      {agents.error ? (
        <Card>
          <ErrorState error={agents.error} what="Agents" onRetry={agents.reload} />
        </Card>
      ) : !agents.data ? (
        <Card>
          <Loading />
        </Card>
      ) : agents.data.items.length === 0 ? (
        <Card>
          <Empty title="No agent yet">`ngb init` creates the main agent, `ngb agent add` more.</Empty>
        </Card>
      ) : (
        agents.data.items.map((agent) => (
          <Card
            key={agent.id}
            class="agent"
            title={
              <>
                {agent.name} {agent.isMain && <Badge value="main" tone="info" />}
              </>
            }
            extra={<span class="muted small mono">{agent.folder}</span>}
          >
            <SkillsOf agent={agent} />
          </Card>
        ))
      )}
    </>
  );
}
