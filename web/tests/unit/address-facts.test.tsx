// The address enrichment beside an address: flag, code and tooltip for a public address,
// a scope tag for the others, nothing for an event without enrichment; the DB-IP credit
// appears only when a country is shown.
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { AddressFacts, GeoAttribution } from '../../src/components/ui/address-facts.tsx';

const PUBLIC = {
  'source.ip_scope': 'public',
  'source.geo.country_iso_code': 'GB',
  'source.geo.country_name': 'United Kingdom',
  'source.geo.city_name': 'London',
  'source.as.number': 20712,
  'source.as.organization.name': 'Andrews & Arnold Ltd',
  'destination.ip_scope': 'link_local',
};

describe('AddressFacts', () => {
  it('shows the flag and country code of a public address, the rest on hover', () => {
    render(<AddressFacts fields={PUBLIC} side="source" />);
    const geo = screen.getByTestId('source-geo');
    expect(geo.textContent).toBe('🇬🇧GB');
    expect(geo.getAttribute('title')).toBe('United Kingdom · London · AS20712 Andrews & Arnold Ltd');
  });

  it('shows a scope tag for a non-public address', () => {
    render(<AddressFacts fields={PUBLIC} side="destination" />);
    expect(screen.getByTestId('destination-scope').textContent).toBe('link-local');
  });

  it('shows nothing without enrichment or with an unknown scope', () => {
    const { container } = render(<><AddressFacts fields={{}} side="source" /><AddressFacts fields={undefined} side="source" /><AddressFacts fields={{ 'source.ip_scope': 'mars' }} side="source" /></>);
    expect(container.textContent).toBe('');
  });

  it('a public address the database does not know shows no flag', () => {
    const { container } = render(<AddressFacts fields={{ 'source.ip_scope': 'public' }} side="source" />);
    expect(container.textContent).toBe('');
  });

  it('credits DB-IP only when a country is shown', () => {
    const { container, rerender } = render(<GeoAttribution fields={PUBLIC} />);
    expect(screen.getByRole('link', { name: /DB-IP/ }).getAttribute('href')).toBe('https://db-ip.com');
    rerender(<GeoAttribution fields={{ 'source.ip_scope': 'private' }} />);
    expect(container.textContent).toBe('');
  });
});
