import { createContext, useContext } from 'react';
import { type Brand, DEFAULT_BRAND } from '../../../src/platform/brand.js';

/**
 * The pharmacy's names, as the server is configured (PHARMACY_NAME, US_PHARMACY_NAME,
 * UK_PHARMACY_NAME). Loaded once before the app draws; the defaults stand in if that fails.
 */
let brand: Brand = DEFAULT_BRAND;

export const loadBrand = async (): Promise<void> => {
  try {
    const response = await fetch('/api/brand', { headers: { accept: 'application/json' } });
    if (response.ok) brand = { ...DEFAULT_BRAND, ...((await response.json()) as Partial<Brand>) };
  } catch {
    // The defaults are shown: nothing to tell the user.
  }
};

export const currentBrand = (): Brand => brand;

/** The business a page speaks for: staff pages the brand, patients' pages their flow's business. */
export const SiteName = createContext<'brand' | 'us' | 'uk'>('brand');

export const useSiteName = () => {
  const which = useContext(SiteName);
  return which === 'brand' ? brand.name : brand[which];
};
