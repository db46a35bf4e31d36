/** Every staff role with what it may do, as the admin chooses them. */
export const ROLE_CHOICES = [
  { role: 'ops', label: 'Ops', hint: 'works orders and the pharmacy queue' },
  { role: 'pharmacist', label: 'Pharmacist', hint: 'reviews P medicines, dispenses' },
  { role: 'prescriber', label: 'Prescriber', hint: 'reviews POM cases' },
  { role: 'auditor', label: 'Auditor', hint: 'reads the audit trail and orders' },
  { role: 'admin', label: 'Admin', hint: 'manages accounts; no patient data by itself' },
] as const;

export const roleList = (roles: readonly string[]) =>
  roles.map((role) => ROLE_CHOICES.find((c) => c.role === role)?.label ?? role).join(', ');

export const RoleChoices = ({
  idPrefix,
  chosen,
  onChange,
}: {
  idPrefix: string;
  chosen: readonly string[];
  onChange(roles: string[]): void;
}) => (
  <fieldset className="stack">
    <legend>Roles</legend>
    {ROLE_CHOICES.map(({ role, label, hint }) => (
      <label key={role} htmlFor={`${idPrefix}-role-${role}`} className="choice">
        <input
          id={`${idPrefix}-role-${role}`}
          type="checkbox"
          checked={chosen.includes(role)}
          onChange={(e) => onChange(e.target.checked ? [...chosen, role] : chosen.filter((r) => r !== role))}
        />{' '}
        {label} <span className="muted">— {hint}</span>
      </label>
    ))}
  </fieldset>
);
