// The one DynamoDB document client, built once per process. Endpoints come from the SDK's standard
// AWS_ENDPOINT_URL_DYNAMODB variable, so the local runtime and tests need no code path of their own.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
