"""The hpaguard policy pack: `pulumi preview --policy-pack integrations/pulumi` (docs/integrations.md "Pulumi")."""

from pulumi_policy import PolicyPack

from hpaguard_policy import POLICIES

PolicyPack(
    name="hpaguard",
    description="hpaguard checks every HorizontalPodAutoscaler of the stack with its targets.",
    policies=POLICIES,
)
