/// An API version that the API server stopped serving for some kinds: the one table `removed-api-version`,
/// `scale-target-group-removed` and target resolution read.
package struct RemovedAPI: Sendable, Hashable {
    package let group: String
    package let version: String
    package let kinds: [String]
    /// The first release that no longer serves it (by default; `--runtime-config` could re-enable some for a few
    /// releases more).
    package let removedIn: KubeVersion
    /// The apiVersion to write instead.
    package let replacement: String

    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// When each version stopped being served: the autoscaling betas from zz_generated.prerelease-lifecycle.go,
    /// the workload betas from "Deprecated APIs Removed In 1.16" (kubernetes.io blog, 2019-07-18), the first HPA API
    /// (extensions/v1beta1) from its removal in 1.6 (openshift/origin#14028, which carried it one release longer).
    package static let all: [RemovedAPI] = [
        RemovedAPI(
            group: "extensions", version: "v1beta1", kinds: ["HorizontalPodAutoscaler"],
            removedIn: KubeVersion(major: 1, minor: 6), replacement: "autoscaling/v2"),
        RemovedAPI(
            group: "autoscaling", version: "v2alpha1", kinds: ["HorizontalPodAutoscaler"],
            removedIn: KubeVersion(major: 1, minor: 9), replacement: "autoscaling/v2"),
        RemovedAPI(
            group: "autoscaling", version: "v2beta1", kinds: ["HorizontalPodAutoscaler"],
            removedIn: KubeVersion(major: 1, minor: 25), replacement: "autoscaling/v2"),
        RemovedAPI(
            group: "autoscaling", version: "v2beta2", kinds: ["HorizontalPodAutoscaler"],
            removedIn: KubeVersion(major: 1, minor: 26), replacement: "autoscaling/v2"),
        RemovedAPI(
            group: "extensions", version: "v1beta1", kinds: ["DaemonSet", "Deployment", "ReplicaSet"],
            removedIn: KubeVersion(major: 1, minor: 16), replacement: "apps/v1"),
        RemovedAPI(
            group: "apps", version: "v1beta1", kinds: ["Deployment", "StatefulSet", "ReplicaSet"],
            removedIn: KubeVersion(major: 1, minor: 16), replacement: "apps/v1"),
        RemovedAPI(
            group: "apps", version: "v1beta2", kinds: ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"],
            removedIn: KubeVersion(major: 1, minor: 16), replacement: "apps/v1"),
    ]

    /// The entry for `kind` written as `apiVersion`, if that version was removed for it.
    package static func entry(apiVersion: String, kind: String) -> RemovedAPI? {
        let parsed = APIVersion(apiVersion)
        // By position: a copy of each entry passed over would retain its strings (every HPA of every review).
        for index in all.indices
        where all[index].group == parsed.group && all[index].version == parsed.version && all[index].kinds.contains(kind) {
            return all[index]
        }
        return nil
    }

    /// When `group` stopped serving `kind` in every version: the removal of its last version, when the replacement
    /// is in another group (`extensions` Deployments moved to `apps`). Nil while some version of the group still
    /// serves the kind (`apps/v1beta1` Deployments: `apps/v1` serves them).
    package static func groupRemoved(_ group: String, kind: String) -> RemovedAPI? {
        // The groups first (`extensions`): a look at a removal copies it.
        guard removedGroups.contains(group) else { return nil }
        return groupRemovals.first { $0.group == group && $0.kind == kind }?.removal
    }

    private static let removedGroups = Set(groupRemovals.map(\.group))

    /// Every group and kind of the table that no version of the group serves any more, with the removal of its
    /// last version: worked out once, as every HPA's target is looked up here.
    private static let groupRemovals: [(group: String, kind: String, removal: RemovedAPI)] = {
        var removals: [(group: String, kind: String, removal: RemovedAPI)] = []
        for entry in all {
            for kind in entry.kinds where !removals.contains(where: { $0.group == entry.group && $0.kind == kind }) {
                let entries = all.filter { $0.group == entry.group && $0.kinds.contains(kind) }
                guard entries.allSatisfy({ APIVersion($0.replacement).group != entry.group }),
                    let last = entries.max(by: { $0.removedIn < $1.removedIn })
                else { continue }
                removals.append((entry.group, kind, last))
            }
        }
        return removals
    }()
}
