'use client';
/** The join link as a QR code, drawn on a canvas in the page by the `qrcode` package (nothing fetched). */
import QRCode from 'qrcode';
import { useEffect, useRef } from 'react';

export function JoinQr({ link, size = 168 }: { link: string; size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, link, { width: size, margin: 1, errorCorrectionLevel: 'M' });
  }, [link, size]);
  return <canvas ref={canvas} width={size} height={size} className="rounded bg-white" data-testid="live-qr" aria-label={`QR code for ${link}`} role="img" />;
}
