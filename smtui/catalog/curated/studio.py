"""Curated Studio types, feature groups, and structural fixes to derived types."""

from __future__ import annotations

from smtui.catalog.curated._common import NAME, age, status
from smtui.catalog.derive import Curation
from smtui.catalog.types import Column, Jump, ParentSpec

STUDIO: dict[str, Curation] = {
    # --- Studio -----------------------------------------------------------------------------
    "ListDomains": Curation(
        aliases=("dom",),
        group="Studio",
        columns=(Column("DomainName", NAME), Column("DomainId", "ID", width=14), status("Status"), age()),
        jumps=(
            Jump("u", "User profiles", "user-profiles", list_params=(("DomainIdEquals", "DomainId"),)),
            Jump("s", "Spaces", "spaces", list_params=(("DomainIdEquals", "DomainId"),)),
            Jump("a", "Apps", "apps", list_params=(("DomainIdEquals", "DomainId"),)),
        ),
    ),
    "ListUserProfiles": Curation(
        aliases=("up",),
        group="Studio",
        key_field="UserProfileName",
        columns=(Column("UserProfileName", NAME), Column("DomainId", "DOMAIN"), status("Status"), age()),
        jumps=(
            Jump(
                "a",
                "Apps",
                "apps",
                list_params=(("DomainIdEquals", "DomainId"), ("UserProfileNameEquals", "UserProfileName")),
            ),
            Jump("d", "Domain", "domains", describe_from="DomainId"),
        ),
    ),
    "ListSpaces": Curation(
        aliases=("sp",),
        group="Studio",
        key_field="SpaceName",
        columns=(Column("SpaceName", NAME), Column("DomainId", "DOMAIN"), status("Status"), age()),
        jumps=(
            Jump(
                "a",
                "Apps",
                "apps",
                list_params=(("DomainIdEquals", "DomainId"), ("SpaceNameEquals", "SpaceName")),
            ),
            Jump("d", "Domain", "domains", describe_from="DomainId"),
        ),
    ),
    "ListApps": Curation(
        aliases=("app",),
        group="Studio",
        key_field="AppName",
        # An app belongs to a user profile or to a space; DescribeApp takes whichever is set.
        describe_params=(
            ("DomainId", "DomainId"),
            ("UserProfileName", "UserProfileName"),
            ("SpaceName", "SpaceName"),
            ("AppType", "AppType"),
            ("AppName", "AppName"),
        ),
        columns=(
            Column("AppName", NAME),
            Column("AppType", "TYPE"),
            Column("UserProfileName", "USER"),
            Column("SpaceName", "SPACE"),
            status("Status"),
            age(),
        ),
        jumps=(Jump("d", "Domain", "domains", describe_from="DomainId"),),
    ),
    "ListNotebookInstances": Curation(
        aliases=("nb",),
        group="Studio",
        columns=(
            Column("NotebookInstanceName", NAME),
            status("NotebookInstanceStatus"),
            Column("InstanceType", "TYPE"),
            age(),
        ),
        jumps=(
            Jump(
                # Not l: l opens the instance's logs, and a jump on it could never be reached.
                "c",
                "Lifecycle config",
                "notebook-instance-lifecycle-configs",
                describe_from="NotebookInstanceLifecycleConfigName",
            ),
        ),
    ),
    # --- Other ------------------------------------------------------------------------------
    "ListFeatureGroups": Curation(
        aliases=("fg",),
        group="Other",
        columns=(
            Column("FeatureGroupName", NAME),
            status("FeatureGroupStatus"),
            Column("OfflineStoreStatus.Status", "OFFLINE"),
            age(),
        ),
    ),
    # --- structural fixes to derived types --------------------------------------------------
    "ListImageVersions": Curation(
        curated=False,
        parent=ParentSpec("images", (("ImageName", "ImageName"),)),
        # Without Version, DescribeImageVersion returns the latest; the row names one version.
        describe_params=(("ImageName", "<list>.ImageName"), ("Version", "Version")),
        key_field="Version",
    ),
    "ListModelCardExportJobs": Curation(
        curated=False, parent=ParentSpec("model-cards", (("ModelCardName", "ModelCardName"),))
    ),
    "ListHubContents": Curation(curated=False, parent=ParentSpec("hubs", (("HubName", "HubName"),))),
    # The summary carries only the ARN; a training session's name is the ARN's last segment.
    "ListTrainingSessions": Curation(
        curated=False,
        key_field="TrainingSessionArn",
        describe_params=(("TrainingSessionName", "TrainingSessionArn:name"),),
    ),
    # The schema version list is scoped by the JobCategory the user picked for the list call.
    "ListJobSchemaVersions": Curation(
        curated=False,
        key_field="JobConfigSchemaVersion",
        describe_params=(
            ("JobCategory", "<list>.JobCategory"),
            ("JobConfigSchemaVersion", "JobConfigSchemaVersion"),
        ),
    ),
}
