// Edits of Entra ID sign-in documents (as logs-azure.signinlogs-* holds them) that the
// Elasticsearch scoring tests plant in the synthetic data.

/** The event's sign-in to an app (and resource) of that name. */
export function inApp(event: Record<string, unknown>, app: string): Record<string, unknown> {
  const copy = structuredClone(event) as { azure?: { signinlogs?: { properties?: Record<string, unknown> } } };
  const props = copy.azure?.signinlogs?.properties ?? {};
  props.app_display_name = app;
  props.resource_display_name = app;
  return copy;
}
