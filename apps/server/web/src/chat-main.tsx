import { render } from 'preact';
import { ChatPanel } from './components/chat-panel';
import './styles.css';

function VisitorChat() {
  return (
    <div class="visitor">
      <header class="visitor-head">
        <img src="/favicon.svg" alt="" width="28" height="28" />
        <div>
          <strong>Chat</strong>
          <small class="muted">Messages are answered by an AI agent.</small>
        </div>
      </header>
      <ChatPanel base="/chat/api" showTools={false} />
    </div>
  );
}

const root = document.getElementById('app');
if (root) render(<VisitorChat />, root);
