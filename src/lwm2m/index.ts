// Public entry of the LwM2M vocabulary: paths, nodes, values, attributes, link format,
// registrations, requests, responses and errors. Re-exports only.
export * from './Lwm2mPath.js';
export * from './Lwm2mNode.js';
export * from './Lwm2mValue.js';
export * from './values.js';
export * from './nodes.js';
export * from './attributes.js';
export * from './linkFormat.js';
export * from './bindingMode.js';
export * from './Registration.js';
export * from './RegistrationPayloadCache.js';
export * from './registrationId.js';
export * from './registrationRequest.js';
export * from './requests.js';
export * from './executeArguments.js';
export * from './requestErrors.js';
export * from './responses.js';
export * from './errors.js';
export * from './SecurityInfo.js';
export * from './checkUplinkIdentity.js';
export * from './securityInfoJson.js';
