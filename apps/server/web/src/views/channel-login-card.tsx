import { useEffect, useState } from 'preact/hooks';
import { Card } from '../components/ui';
import type { ChannelItem } from '../types';

/** The QR code as one SVG path of its dark modules, with a quiet zone of four modules. */
function QrCode(props: { code: string; label: string }) {
  const [shape, setShape] = useState<{ size: number; path: string }>();
  useEffect(() => {
    let current = true;
    // The encoder loads only when a channel waits for a login: the overview's first paint does not pay for it.
    import('qrcode-generator').then(({ default: qrcode }) => {
      const qr = qrcode(0, 'L');
      qr.addData(props.code, 'Byte');
      qr.make();
      const count = qr.getModuleCount();
      let path = '';
      for (let row = 0; row < count; row++) {
        for (let column = 0; column < count; column++) {
          if (qr.isDark(row, column)) path += `M${column + 4} ${row + 4}h1v1h-1z`;
        }
      }
      if (current) setShape({ size: count + 8, path });
    });
    return () => {
      current = false;
    };
  }, [props.code]);
  if (!shape) return <div class="qr-code muted small">Drawing the code…</div>;
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${shape.size} ${shape.size}`}
      shape-rendering="crispEdges"
    >
      <rect width={shape.size} height={shape.size} fill="#fff" />
      <path d={shape.path} fill="#000" />
    </svg>
  );
}

/**
 * A channel that waits for someone to link it (WhatsApp Web's QR code): the code to scan and what to do.
 * It is the bot's login: the card is shown only to the dashboard's owner, like the rest of the API.
 */
export function ChannelLoginCard(props: { channels: ChannelItem[] }) {
  const waiting = props.channels.filter((channel) => channel.state === 'connecting' && channel.login !== undefined);
  if (waiting.length === 0) return null;
  return (
    <>
      {waiting.map((channel) => (
        <Card key={channel.name} class="channel-login" title={`Link ${channel.name}`}>
          <div data-channel-login={channel.name}>
            <QrCode code={channel.login?.code ?? ''} label={`QR code to link ${channel.name}`} />
            <div>
              <p>{channel.login?.instructions}</p>
              <p class="muted small">The code changes every few seconds: this card follows it and goes away once linked.</p>
            </div>
          </div>
        </Card>
      ))}
    </>
  );
}
