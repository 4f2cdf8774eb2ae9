/**
 * The company behind login data: its offices (by headquarters region), its VPN, its tenant and
 * Okta org, and the app it rolls out to part of its staff during the window.
 */
import { asn, businessIsp, city } from './geo';
import type { Company, LoginProfile, Office } from './population';
import type { Rng } from './rng';

const DOMAINS = ['contoso.com', 'northwindtraders.com', 'fabrikam.com', 'adventure-works.com', 'tailspintoys.com', 'wingtiptoys.com'];

const OFFICE_SETS: Record<Company['hqRegion'], string[][]> = {
  us: [
    ['New York', 'San Francisco', 'Austin', 'London', 'Bengaluru'],
    ['Boston', 'Chicago', 'Denver', 'Dublin', 'Toronto'],
    ['Seattle', 'San Jose', 'Atlanta', 'Amsterdam', 'Hyderabad', 'Sydney'],
  ],
  eu: [
    ['London', 'Berlin', 'Paris', 'New York', 'Pune'],
    ['Munich', 'Amsterdam', 'Stockholm', 'Warsaw', 'Boston'],
    ['Dublin', 'Madrid', 'Zurich', 'Milan', 'Singapore'],
  ],
  apac: [
    ['Singapore', 'Sydney', 'Tokyo', 'Bengaluru', 'London', 'San Francisco'],
    ['Bengaluru', 'Hyderabad', 'Singapore', 'Dallas', 'London'],
  ],
};

const ROLLOUT_APP: Record<LoginProfile, string> = {
  'azure-signin': 'Microsoft 365 Copilot',
  okta: '1Password',
  duo: 'Duo Single Sign-On',
};

export function buildCompany(rng: Rng, profile: LoginProfile): Company {
  const hqRegion = rng.choose<Company['hqRegion']>([['us', 0.6], ['eu', 0.3], ['apac', 0.1]]);
  const set = rng.pick(OFFICE_SETS[hqRegion]);
  const offices: Office[] = set.map((name, i) => {
    const c = city(name);
    return { id: `office-${i}`, city: c, asn: businessIsp(c.cc, rng.fork(`office${i}`)), ips: rng.int(2, 4), weight: i === 0 ? 4 : rng.float(0.6, 2) };
  });
  const vpn = rng.chance(0.6)
    ? {
        asn: asn(62044),
        cities: {
          us: ['Ashburn', 'Chicago', 'San Jose', 'Dallas'].map(city),
          eu: ['Frankfurt am Main', 'Amsterdam', 'London'].map(city),
          apac: ['Singapore', 'Mumbai', 'Tokyo', 'Sydney'].map(city),
        },
      }
    : null;
  return {
    domain: rng.pick(DOMAINS),
    tenantId: rng.uuid(),
    oktaOrg: `${rng.pick(['acme', 'globex', 'initech', 'hooli', 'umbrella'])}.okta.com`,
    offices,
    hqRegion,
    vpn,
    rollout: { app: ROLLOUT_APP[profile], day: 0, share: rng.float(0.15, 0.35) },
  };
}
