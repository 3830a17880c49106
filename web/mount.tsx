import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import './base.css';

/** Renders the app into index.html's #root (strict mode: effects run twice in development, to show what leaks). */
export function mount(app: ReactNode): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('no #root element');
  createRoot(root).render(<StrictMode>{app}</StrictMode>);
}
