/** Staff roles. Vendors are not users: they act through a portal token scoped to one assessment. */
export const ROLES = ['procurement', 'security', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the HTTP layer from a verified token. */
export interface Principal {
  subject: string;
  email: string | null;
  roles: Role[];
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
