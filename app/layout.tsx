import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'Tokenloom',
  description: 'See how a language model turns text into predictions, one node at a time.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body>{children}</body>
    </html>
  );
}
