import { ChatPanel } from '../components/chat-panel';
import { PageHeader } from '../components/ui';

export function TalkView() {
  return (
    <>
      <PageHeader title="Chat" subtitle="Talk to your agent as its owner. Tool calls show inline as they run." />
      <section class="card chat-card">
        <ChatPanel base="/api/chat" showTools speaker="dashboard" />
      </section>
    </>
  );
}
