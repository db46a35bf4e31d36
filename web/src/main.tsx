import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { loadBrand } from './ui/brand.js';
import './styles.css';

// The pharmacy's names first: the first page drawn already carries them.
void loadBrand().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
