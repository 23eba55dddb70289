/**
 * Protobuf request bodies recorded from kubectl 1.33 (kubectl-capture.test.ts), base64;
 * `json`: what the server served for the object kubectl copied (job-from-cronjob's template).
 */
export const KUBECTL_133_BODIES: Record<string, { url: string; body: string; json?: unknown }> = {
  "configmap": {
    "url": "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiUKEwoDY20xEgAaACIAKgAyADgAQgASBgoBYRIBYhIGCgFjEgFkGgAiAA=="
  },
  "secret-generic": {
    "url": "/api/v1/namespaces/default/secrets?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoMCgJ2MRIGU2VjcmV0EisKEgoCczESABoAIgAqADIAOABCABINCgR1c2VyEgVhZG1pbhoGT3BhcXVlGgAiAA=="
  },
  "secret-docker-registry": {
    "url": "/api/v1/namespaces/default/secrets?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoMCgJ2MRIGU2VjcmV0EpYBChQKBHJlZzESABoAIgAqADIAOABCABJeChEuZG9ja2VyY29uZmlnanNvbhJJeyJhdXRocyI6eyJyLmV4YW1wbGUuY29tIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fRoea3ViZXJuZXRlcy5pby9kb2NrZXJjb25maWdqc29uGgAiAA=="
  },
  "secret-tls": {
    "url": "/api/v1/namespaces/default/secrets?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoMCgJ2MRIGU2VjcmV0Ep0HChQKBHRsczESABoAIgAqADIAOABCABLyBAoHdGxzLmNydBLmBC0tLS0tQkVHSU4gQ0VSVElGSUNBVEUtLS0tLQpNSUlCbVRDQ0FVQ2dBd0lCQWdJUVB6S2IyV2pGOTVmRU5RcGhmbURCRWpBS0JnZ3Foa2pPUFFRREFqQWRNUnN3CkdRWURWUVFEREJKck9IUnpMV05oUURFM09UVTFNRGd6TXprd0hoY05Nall4TVRJME1EZ3hNelU1V2hjTk1qY3gKTVRJME1EZ3hPRFU1V2pBcE1SY3dGUVlEVlFRS0V3NXplWE4wWlcwNmJXRnpkR1Z5Y3pFT01Bd0dBMVVFQXhNRgpZV1J0YVc0d1dUQVRCZ2NxaGtqT1BRSUJCZ2dxaGtqT1BRTUJCd05DQUFSRmppL3g1NkxUYmZNVVphS0JFbk5nCmVVWmlwRm9BT2haekFZV3hqRGN2c1N3WUtrYjFYVUFTRVU3SDBCS2xYaCtNclIxb0RnS2kwR2VIa3QwTEZRWFIKbzFZd1ZEQU1CZ05WSFJNQkFmOEVBakFBTUE0R0ExVWREd0VCL3dRRUF3SUhnREFUQmdOVkhTVUVEREFLQmdncgpCZ0VGQlFjREFqQWZCZ05WSFNNRUdEQVdnQlJCQktnajJXVzhvckQxbXBFV1pUTFFPTVkzblRBS0JnZ3Foa2pPClBRUURBZ05IQURCRUFpQkkvQnh3c0E0Zm1sMWx0WnpROWVnQ1RzTjQvLzAySzlWYU41WDJyN0dYa0FJZ09mL04KbC83WkRwVk4wNms3K3pvMFdEMklES0hydHN0VFppaENoTlFpbkZjPQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tEvwBCgd0bHMua2V5EvABLS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEJHMHdhd0lCQVFRZzZjRXdNSVhyYmdySE1Sb0wKV1A0anVOT3BnZ3R0ZkI1MU14RDJBUVZjMmxPaFJBTkNBQVJGamkveDU2TFRiZk1VWmFLQkVuTmdlVVppcEZvQQpPaFp6QVlXeGpEY3ZzU3dZS2tiMVhVQVNFVTdIMEJLbFhoK01yUjFvRGdLaTBHZUhrdDBMRlFYUgotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tGhFrdWJlcm5ldGVzLmlvL3RscxoAIgA="
  },
  "namespace": {
    "url": "/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA"
  },
  "serviceaccount": {
    "url": "/api/v1/namespaces/default/serviceaccounts?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFQoTCgNzYTESABoAIgAqADIAOABCABoAIgA="
  },
  "deployment": {
    "url": "/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EtYBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEqQBCAMSDAoKCgNhcHASA3dlYhqJAQocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJpEksKBW5naW54EgpuZ2lueDoxLjI3GgVuZ2lueBoCLWcaC2RhZW1vbiBvZmY7KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA="
  },
  "service-clusterip": {
    "url": "/api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoNCgJ2MRIHU2VydmljZRJsCiEKBHN2YzESABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzESQwobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA=="
  },
  "service-nodeport": {
    "url": "/api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoNCgJ2MRIHU2VydmljZRJ0CiEKBHN2YzISABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzISSwokCgk0NDMtaHR0cHMSA1RDUBi7AyILCAEQABoFaHR0cHMogOsBEgsKA2FwcBIEc3ZjMhoAIghOb2RlUG9ydDoAQgBSAFoAYABoABoCCgAaACIA"
  },
  "service-loadbalancer": {
    "url": "/api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoNCgJ2MRIHU2VydmljZRJyCiEKBHN2YzMSABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzMSSQoeCgk1Njc4LTgwODASA1RDUBiuLCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMxoAIgxMb2FkQmFsYW5jZXI6AEIAUgBaAGAAaAAaAgoAGgAiAA=="
  },
  "service-externalname": {
    "url": "/api/v1/namespaces/default/services?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoNCgJ2MRIHU2VydmljZRJdCiEKBHN2YzQSABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzQSNBILCgNhcHASBHN2YzQaACIMRXh0ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA=="
  },
  "job": {
    "url": "/apis/batch/v1/namespaces/default/jobs?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoPCghiYXRjaC92MRIDSm9iEoQBChIKAmoxEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SKwoCajESB2J1c3lib3gaBGVjaG8aAmhpKgBCAGoAcgCAAQCIAQCQAQCiAQAaBU5ldmVyMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaCCAAKAAwADoAGgAiAA=="
  },
  "cronjob": {
    "url": "/apis/batch/v1/namespaces/default/cronjobs?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKnAQoTCgNjajESABoAIgAqADIAOABCABKNAQoLKi81ICogKiAqICoaACp8ChMKA2NqMRIAGgAiACoAMgA4AEIAEmUyYwoQCgASABoAIgAqADIAOABCABJPEigKA2NqMRIHYnVzeWJveBoEZGF0ZSoAQgBqAHIAgAEAiAEAkAEAogEAGglPbkZhaWx1cmUyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoAGgAiAA=="
  },
  "role": {
    "url": "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEk8KEgoCcjESABoAIgAqADIAOABCABIWCgNnZXQKBGxpc3QSABoEcG9kcyIBeBIhCgNnZXQKBGxpc3QSBGFwcHMaC2RlcGxveW1lbnRzIgF4GgAiAA=="
  },
  "rolebinding": {
    "url": "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxKIAQoTCgNyYjESABoAIgAqADIAOABCABIoCgRVc2VyEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgNib2IiABIgCg5TZXJ2aWNlQWNjb3VudBIAGgNzYTEiB2RlZmF1bHQaJQoZcmJhYy5hdXRob3JpemF0aW9uLms4cy5pbxIEUm9sZRoCcjEaACIA"
  },
  "clusterrole": {
    "url": "/apis/rbac.authorization.k8s.io/v1/clusterroles?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRImChMKA2NyMRIAGgAiACoAMgA4AEIAEg8KA2dldCoIL2hlYWx0aHoaACIA"
  },
  "clusterrole-aggregated": {
    "url": "/apis/rbac.authorization.k8s.io/v1/clusterroles?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRI9ChMKA2NyMhIAGgAiACoAMgA4AEIAGiYKJAoiChpyYmFjLmV4YW1wbGUuY29tL2FnZ3JlZ2F0ZRIEdHJ1ZRoAIgA="
  },
  "clusterrolebinding": {
    "url": "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcScQoUCgRjcmIxEgAaACIAKgAyADgAQgASKgoFR3JvdXASGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBGRldnMiABotChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgtDbHVzdGVyUm9sZRoDY3IxGgAiAA=="
  },
  "quota": {
    "url": "/api/v1/namespaces/default/resourcequotas?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJOChIKAnExEgAaACIAKgAyADgAQgASNgoKCgNjcHUSAwoBMQoPCgZtZW1vcnkSBQoDMUdpCgsKBHBvZHMSAwoBMhIKQmVzdEVmZm9ydBoAGgAiAA=="
  },
  "priorityclass": {
    "url": "/apis/scheduling.k8s.io/v1/priorityclasses?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxInChMKA3BjMRIAGgAiACoAMgA4AEIAEOgHGAAiBGhpZ2gqBU5ldmVyGgAiAA=="
  },
  "pdb": {
    "url": "/apis/policy/v1/namespaces/default/poddisruptionbudgets?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSPQoUCgRwZGIxEgAaACIAKgAyADgAQgASGQoJCAEQABoDNTAlEgwKCgoDYXBwEgN3ZWIaCggAGAAgACgAMAAaACIA"
  },
  "ingress": {
    "url": "/apis/networking.k8s.io/v1/namespaces/default/ingresses?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJ3ChQKBGluZzESABoAIgAqADIAOABCABJbChIiEAoEc3ZjMhIICgRodHRwEAASDwoHZm9vLmNvbRIEc2VjMRotCgdmb28uY29tEiIKIAoeCgQvYmFyEg4iDAoEc3ZjMRIECgAQUBoGUHJlZml4IgVuZ2lueBoCCgAaACIA"
  },
  "token": {
    "url": "/api/v1/namespaces/default/serviceaccounts/sa1/token",
    "body": "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIiChAKABIAGgAiACoAMgA4AEIAEggKA2FwaSCQHBoECgASABoAIgA="
  },
  "can-i": {
    "url": "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    "body": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSTAoQCgASABoAIgAqADIAOABCABIuCiwKC2t1YmUtc3lzdGVtEgRsaXN0GgRhcHBzIgAqC2RlcGxveW1lbnRzMgA6ABoICAASABoAIAAaACIA"
  },
  "can-i-nonresource": {
    "url": "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    "body": "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABCABIREg8KCC9oZWFsdGh6EgNnZXQaCAgAEgAaACAAGgAiAA=="
  },
  "can-i-list": {
    "url": "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
    "body": "azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA"
  },
  "whoami": {
    "url": "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    "body": "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA="
  },
  "job-from-cronjob": {
    "url": "/apis/batch/v1/namespaces/default/jobs?fieldManager=kubectl-create&fieldValidation=Strict",
    "body": "azhzAAoPCghiYXRjaC92MRIDSm9iErIJCooBCgJqMhIAGgAiACoAMgA4AEIAWgYKAWESAWJiKwohY3JvbmpvYi5rdWJlcm5ldGVzLmlvL2luc3RhbnRpYXRlEgZtYW51YWxqQQoHQ3JvbkpvYhoEZnVsbCIkY2U5NzM2YTctM2IwNy00ZThiLTgxMmEtZjk5Y2FjZDg0ZTE3KghiYXRjaC92MTABEpgICAIQBBhkKAAy9AcKIAoAEgAaACIAKgAyADgAQgBaBgoBYRIBYmIGCgF4EgF6Es8HChYKAWESEQoPCgIveBIJRGlyZWN0b3J5ChYKAWISERIPCgZNZW1vcnkSBQoDMUdpChoKAWMSFTITCgFzEgkKAWsSAXAYgAIYpAMgAQoOCgFkEglSBwoDcHZjEAEKGwoBZRIWmgETCgQKAmNtEgYKAWsSAXAYpAMgABLzAwoBYxIDaW1nGgFhIgFiKgIvdzIYCgRodHRwEFAYUCIDVENQKgcxLjIuMy40OgYKAUESAXg6HAoBQhIAGhUKEwoCdjESDW1ldGFkYXRhLm5hbWU6HgoBQxIAGhcSFQoBYxIKbGltaXRzLmNwdRoECgIxbToUCgFEEgAaDRoLCgQKAmNtEgFrGAE6EwoBRRIAGgwiCgoDCgFzEgFrGABCLAoKCgNjcHUSAwoBMRINCgNjcHUSBgoENTAwbRIPCgZtZW1vcnkSBQoDMUdpShQKAWEQARoCL2EiAXMqBE5vbmUyAEobCgFiEAAaAi9iIgAyBCQoQSk6CERpc2FibGVkUhYKCAoGCgR0cnVlEAEYAiADKAEwBTgGWi0KIRIfCgIvchIGCAAQUBoAGgFoIgVIVFRQUyoHCgFYEgJ5eRAAGAEgCigBMANqAi90cgZBbHdheXN6PAoQCglORVRfQURNSU4SA0FMTBAAIAIoATABOABAA0oHRGVmYXVsdFoTCglMb2NhbGhvc3QSBnAuanNvboABAYgBAZABAZoBDgoCUF8SCAoECgJjbRABmgELCgAaBwoDCgFzEACiAQRGaWxlsgEdChEaDwoKCAEQABoEaHR0cBIBaBAAGAEgCigBMAO6ARIKA2NwdRILTm90UmVxdWlyZWQSUQoBZxIDaW1nKgBCAFoVCgkiBwgJEgNzdmMQABgBIAooATADahQvZGV2L3Rlcm1pbmF0aW9uLWxvZ3IGQWx3YXlzgAEAiAEAkAEAogEERmlsZRoFTmV2ZXIgBSgyMgxDbHVzdGVyRmlyc3Q6CwoEZGlzaxIDc3NkQgJzYUoAUgBYAWABaAFyJhABGAEgBSAGKAcwCEoGQWx3YXlzUhAKDlJ1bnRpbWVEZWZhdWx0egUKA3JlZ4IBAWiKAQFzmgERZGVmYXVsdC1zY2hlZHVsZXKiAUoKBGluaXQSB2J1c3lib3gqAEIAahQvZGV2L3Rlcm1pbmF0aW9uLWxvZ3IGQWx3YXlzgAEAiAEAkAEAogEERmlsZcIBBkFsd2F5c6gBALIBGgoBaxIFRXF1YWwaAXYiCU5vRXhlY3V0ZSgJwgECcGPIAQrYAQHqAQJyY/ABAPoBBU5ldmVymAIBqAIAOANAPEoHSW5kZXhlZGABaAJyBkZhaWxlZBoIIAAoADAAOgAaACIA",
    "json": {
      "activeDeadlineSeconds": 100,
      "backoffLimit": 3,
      "backoffLimitPerIndex": 1,
      "completionMode": "Indexed",
      "completions": 4,
      "manualSelector": false,
      "maxFailedIndexes": 2,
      "parallelism": 2,
      "podReplacementPolicy": "Failed",
      "template": {
        "metadata": {
          "annotations": {
            "x": "z"
          },
          "labels": {
            "a": "b"
          }
        },
        "spec": {
          "activeDeadlineSeconds": 50,
          "automountServiceAccountToken": false,
          "containers": [
            {
              "args": [
                "b"
              ],
              "command": [
                "a"
              ],
              "env": [
                {
                  "name": "A",
                  "value": "x"
                },
                {
                  "name": "B",
                  "valueFrom": {
                    "fieldRef": {
                      "apiVersion": "v1",
                      "fieldPath": "metadata.name"
                    }
                  }
                },
                {
                  "name": "C",
                  "valueFrom": {
                    "resourceFieldRef": {
                      "containerName": "c",
                      "divisor": "1m",
                      "resource": "limits.cpu"
                    }
                  }
                },
                {
                  "name": "D",
                  "valueFrom": {
                    "configMapKeyRef": {
                      "key": "k",
                      "name": "cm",
                      "optional": true
                    }
                  }
                },
                {
                  "name": "E",
                  "valueFrom": {
                    "secretKeyRef": {
                      "key": "k",
                      "name": "s",
                      "optional": false
                    }
                  }
                }
              ],
              "envFrom": [
                {
                  "configMapRef": {
                    "name": "cm",
                    "optional": true
                  },
                  "prefix": "P_"
                },
                {
                  "secretRef": {
                    "name": "s",
                    "optional": false
                  }
                }
              ],
              "image": "img",
              "imagePullPolicy": "Always",
              "livenessProbe": {
                "exec": {
                  "command": [
                    "true"
                  ]
                },
                "failureThreshold": 5,
                "initialDelaySeconds": 1,
                "periodSeconds": 3,
                "successThreshold": 1,
                "terminationGracePeriodSeconds": 6,
                "timeoutSeconds": 2
              },
              "name": "c",
              "ports": [
                {
                  "containerPort": 80,
                  "hostIP": "1.2.3.4",
                  "hostPort": 80,
                  "name": "http",
                  "protocol": "TCP"
                }
              ],
              "readinessProbe": {
                "failureThreshold": 3,
                "httpGet": {
                  "host": "h",
                  "httpHeaders": [
                    {
                      "name": "X",
                      "value": "yy"
                    }
                  ],
                  "path": "/r",
                  "port": 80,
                  "scheme": "HTTPS"
                },
                "periodSeconds": 10,
                "successThreshold": 1,
                "timeoutSeconds": 1
              },
              "resizePolicy": [
                {
                  "resourceName": "cpu",
                  "restartPolicy": "NotRequired"
                }
              ],
              "resources": {
                "limits": {
                  "cpu": "1"
                },
                "requests": {
                  "cpu": "500m",
                  "memory": "1Gi"
                }
              },
              "securityContext": {
                "allowPrivilegeEscalation": false,
                "capabilities": {
                  "add": [
                    "NET_ADMIN"
                  ],
                  "drop": [
                    "ALL"
                  ]
                },
                "privileged": false,
                "procMount": "Default",
                "readOnlyRootFilesystem": true,
                "runAsGroup": 3,
                "runAsNonRoot": true,
                "runAsUser": 2,
                "seccompProfile": {
                  "localhostProfile": "p.json",
                  "type": "Localhost"
                }
              },
              "startupProbe": {
                "failureThreshold": 3,
                "periodSeconds": 10,
                "successThreshold": 1,
                "tcpSocket": {
                  "host": "h",
                  "port": "http"
                },
                "timeoutSeconds": 1
              },
              "stdin": true,
              "stdinOnce": true,
              "terminationMessagePath": "/t",
              "terminationMessagePolicy": "File",
              "tty": true,
              "volumeMounts": [
                {
                  "mountPath": "/a",
                  "mountPropagation": "None",
                  "name": "a",
                  "readOnly": true,
                  "subPath": "s"
                },
                {
                  "mountPath": "/b",
                  "name": "b",
                  "recursiveReadOnly": "Disabled",
                  "subPathExpr": "$(A)"
                }
              ],
              "workingDir": "/w"
            },
            {
              "image": "img",
              "imagePullPolicy": "Always",
              "name": "g",
              "readinessProbe": {
                "failureThreshold": 3,
                "grpc": {
                  "port": 9,
                  "service": "svc"
                },
                "periodSeconds": 10,
                "successThreshold": 1,
                "timeoutSeconds": 1
              },
              "resources": {},
              "terminationMessagePath": "/dev/termination-log",
              "terminationMessagePolicy": "File"
            }
          ],
          "dnsPolicy": "ClusterFirst",
          "enableServiceLinks": false,
          "hostIPC": true,
          "hostNetwork": true,
          "hostPID": true,
          "hostUsers": false,
          "hostname": "h",
          "imagePullSecrets": [
            {
              "name": "reg"
            }
          ],
          "initContainers": [
            {
              "image": "busybox",
              "imagePullPolicy": "Always",
              "name": "init",
              "resources": {},
              "restartPolicy": "Always",
              "terminationMessagePath": "/dev/termination-log",
              "terminationMessagePolicy": "File"
            }
          ],
          "nodeSelector": {
            "disk": "ssd"
          },
          "preemptionPolicy": "Never",
          "priority": 10,
          "priorityClassName": "pc",
          "restartPolicy": "Never",
          "runtimeClassName": "rc",
          "schedulerName": "default-scheduler",
          "securityContext": {
            "fsGroup": 7,
            "fsGroupChangePolicy": "Always",
            "runAsGroup": 8,
            "runAsNonRoot": true,
            "runAsUser": 1,
            "seccompProfile": {
              "type": "RuntimeDefault"
            },
            "supplementalGroups": [
              5,
              6
            ]
          },
          "serviceAccountName": "sa",
          "setHostnameAsFQDN": true,
          "shareProcessNamespace": true,
          "subdomain": "s",
          "terminationGracePeriodSeconds": 5,
          "tolerations": [
            {
              "effect": "NoExecute",
              "key": "k",
              "operator": "Equal",
              "tolerationSeconds": 9,
              "value": "v"
            }
          ],
          "volumes": [
            {
              "hostPath": {
                "path": "/x",
                "type": "Directory"
              },
              "name": "a"
            },
            {
              "emptyDir": {
                "medium": "Memory",
                "sizeLimit": "1Gi"
              },
              "name": "b"
            },
            {
              "name": "c",
              "secret": {
                "defaultMode": 420,
                "items": [
                  {
                    "key": "k",
                    "mode": 256,
                    "path": "p"
                  }
                ],
                "optional": true,
                "secretName": "s"
              }
            },
            {
              "name": "d",
              "persistentVolumeClaim": {
                "claimName": "pvc",
                "readOnly": true
              }
            },
            {
              "configMap": {
                "defaultMode": 420,
                "items": [
                  {
                    "key": "k",
                    "path": "p"
                  }
                ],
                "name": "cm",
                "optional": false
              },
              "name": "e"
            }
          ]
        }
      },
      "ttlSecondsAfterFinished": 60
    }
  }
};
