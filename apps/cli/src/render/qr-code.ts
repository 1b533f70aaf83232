import qrcode from 'qrcode-generator';

/**
 * A QR code as text for a terminal: two rows of modules per line in half blocks, light modules drawn
 * (a terminal's background is dark more often than not), with a quiet zone of two modules.
 */
export function qrCodeForTerminal(code: string): string {
  const qr = qrcode(0, 'L');
  qr.addData(code, 'Byte');
  qr.make();
  return qr.createASCII(1, 2);
}
