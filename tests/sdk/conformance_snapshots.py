"""Runs the EVS snapshot calls hvecs uses for server snapshots on hvecs's gateway simulator through
the official Huawei Cloud Python SDKs: CreateSnapshot (force, metadata), ShowSnapshot,
ListSnapshots (by disk, with metadata), UpdateSnapshot (rename), RollbackSnapshot (refused on an
attached disk, accepted on the detached one) and DeleteSnapshot (the snapshot then gone); the
disk's detach and attach at its device through ECS, as a rollback does.

Started by tests/sim_sdk_conformance.rs with the simulator's address and credentials in the
environment (read by conformance.py). Exit status 0 = every step passed; 3 = the SDKs are not
installed (the Rust test decides whether that is a failure).
"""
import sys
import time

try:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkecs.v2 import (AttachServerVolumeOption, AttachServerVolumeRequest, AttachServerVolumeRequestBody,
                                      DetachServerVolumeRequest, EcsClient, ListServersDetailsRequest)
    from huaweicloudsdkecs.v2 import ShowJobRequest as EcsShowJobRequest
    from huaweicloudsdkevs.v2 import (CreateSnapshotOption, CreateSnapshotRequest, CreateSnapshotRequestBody,
                                      DeleteSnapshotRequest, EvsClient, ListSnapshotsRequest, ListVolumesRequest,
                                      RollbackSnapshotOption, RollbackSnapshotRequest, RollbackSnapshotRequestBody,
                                      ShowSnapshotRequest, UpdateSnapshotOption,
                                      UpdateSnapshotRequest, UpdateSnapshotRequestBody)
except ImportError as e:  # pragma: no cover - the Rust test reports it
    print("SDK import failed: %s" % e)
    sys.exit(3)

# The simulator's credentials and the step helpers of the main flow's and the disks' scripts.
from conformance import AK, PROJECT, SK, build, check, wait_job  # noqa: E402
from conformance_disks import wait_volume  # noqa: E402


def wait_snapshot(evs, snapshot_id, status):
    for _ in range(3000):
        s = evs.show_snapshot(ShowSnapshotRequest(snapshot_id=snapshot_id)).snapshot
        if s.status == status:
            return s
        time.sleep(0.01)
    raise AssertionError("snapshot %s never became %s" % (snapshot_id, status))


def refused(call, what):
    try:
        call()
        raise AssertionError("%s must be refused" % what)
    except ClientRequestException as e:
        check(e.status_code == 400 and e.error_code.startswith("EVS.") and e.request_id, what)


def main():
    creds = BasicCredentials(AK, SK, PROJECT)
    ecs = build(EcsClient, creds)
    evs = build(EvsClient, creds)
    ecs_job = lambda j: ecs.show_job(EcsShowJobRequest(job_id=j))

    servers = ecs.list_servers_details(ListServersDetailsRequest(status="ACTIVE", limit=100)).servers
    server = [s for s in servers if not s.os_ext_st_stask_state][0]
    vols = evs.list_volumes(ListVolumesRequest(limit=1000)).volumes
    data = [v for v in vols if any(a.server_id == server.id and a.device != "/dev/vda" for a in v.attachments)][0]
    device = [a.device for a in data.attachments if a.server_id == server.id][0]
    meta = {"hvecs_set": "set-sdk", "hvecs_server": server.id, "hvecs_device": device}

    refused(lambda: evs.create_snapshot(CreateSnapshotRequest(body=CreateSnapshotRequestBody(
        snapshot=CreateSnapshotOption(volume_id=data.id, name="sdk-set")))),
        "EVS CreateSnapshot of an attached disk without force")
    made = evs.create_snapshot(CreateSnapshotRequest(body=CreateSnapshotRequestBody(
        snapshot=CreateSnapshotOption(volume_id=data.id, force=True, name="sdk-set-vdb", metadata=meta)))).snapshot
    check(made.id and made.status == "creating" and made.metadata == meta, "EVS CreateSnapshot with force and metadata")
    shown = wait_snapshot(evs, made.id, "available")
    check(shown.metadata == meta and shown.volume_id == data.id, "EVS ShowSnapshot keeps the metadata")
    listed = evs.list_snapshots(ListSnapshotsRequest(volume_id=data.id)).snapshots
    check(any(s.id == made.id and s.metadata == meta for s in listed), "EVS ListSnapshots of the disk, with metadata")

    renamed = evs.update_snapshot(UpdateSnapshotRequest(snapshot_id=made.id, body=UpdateSnapshotRequestBody(
        snapshot=UpdateSnapshotOption(name="before-patch")))).snapshot
    check(renamed.id == made.id and renamed.name == "before-patch", "EVS UpdateSnapshot (rename)")

    rollback = lambda: evs.rollback_snapshot(RollbackSnapshotRequest(snapshot_id=made.id,
        body=RollbackSnapshotRequestBody(rollback=RollbackSnapshotOption(volume_id=data.id))))
    refused(rollback, "EVS RollbackSnapshot onto an attached disk")
    detach = ecs.detach_server_volume(DetachServerVolumeRequest(server_id=server.id, volume_id=data.id))
    check(wait_job(ecs_job, detach.job_id).status == "SUCCESS", "ECS detach the disk")
    wait_volume(evs, data.id, "available")
    rb = rollback().rollback
    check(rb.volume_id == data.id, "EVS RollbackSnapshot names its disk")
    wait_volume(evs, data.id, "available")
    attach = ecs.attach_server_volume(AttachServerVolumeRequest(server_id=server.id, body=AttachServerVolumeRequestBody(
        volume_attachment=AttachServerVolumeOption(volume_id=data.id, device=device))))
    check(wait_job(ecs_job, attach.job_id).status == "SUCCESS", "ECS attach it back at its device")
    back = wait_volume(evs, data.id, "in-use")
    check(any(a.device == device for a in back.attachments), "the disk is at its device again")

    evs.delete_snapshot(DeleteSnapshotRequest(snapshot_id=made.id))
    for _ in range(3000):
        try:
            evs.show_snapshot(ShowSnapshotRequest(snapshot_id=made.id))
            time.sleep(0.01)
        except ClientRequestException as e:
            check(e.status_code == 404, "EVS DeleteSnapshot: the snapshot is gone")
            break
    else:
        raise AssertionError("the snapshot was never deleted")
    print("SDK SNAPSHOT FLOW PASSED")


if __name__ == "__main__":
    main()
