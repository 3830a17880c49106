/** The bench baseline's activity: does nothing, so what is measured is Temporal's own round trip. */
export const bareActivities = {
  async noop(): Promise<void> {},
};
