import type { Metadata } from 'next';
import { connection } from 'next/server';
import './globals.css';

export const metadata: Metadata = {
  title: 'Tokenloom',
  description: 'See how a language model turns text into predictions, one node at a time.',
};

/**
 * Every page renders per request: Next.js puts the request's CSP nonce (proxy.ts) on its inline
 * scripts only when it renders them, and a prerendered page would carry none.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en" suppressHydrationWarning>
      <body>{children}</body>
    </html>
  );
}
