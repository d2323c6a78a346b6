/** Generated from openapi/plaspy.json by `npm run openapi` (openapi-typescript): do not edit. */

export interface paths {
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the users
         * @description Retrieves the list of users registered in the system, with name, email, country and other attributes.
         */
        get: operations["getApiUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a user
         * @description Retrieves the details of a specific user: name, email, country, time zone and other attributes.
         */
        get: operations["getApiUsersByUserId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getApiUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful. */
                        success?: boolean;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                        /** @description List of user objects. */
                        users?: {
                            /** @description Unique identifier of the user. */
                            id?: string;
                            /** @description Name of the user. */
                            name: string;
                            /** @description Email of the user. */
                            email: string;
                            /** @description Country of the user. */
                            country: string;
                            /** @description Time zone of the user. */
                            timeZone: string;
                            /** @description Additional description of the user. */
                            description?: string;
                            /** @description Message associated with the user. */
                            message?: string | null;
                            /** @description Indicates whether the user is disabled. */
                            disabled?: boolean;
                            /** @description Message describing why the user is disabled. */
                            disabledMessage?: string | null;
                            /** @description Set of tags associated with the user. */
                            tags?: {
                                [key: string]: string;
                            };
                            /** @description List of user privileges. */
                            privileges?: string[];
                            /** @description Group to which the user belongs. */
                            group?: string;
                            /** @description Identifier of the user's device. */
                            deviceId?: string;
                            /** @description Number of devices managed by the user. */
                            adminDevices?: number;
                            /** @description Start date and time of the user's activity. */
                            from?: string;
                            /** @description Expiration date and time of the user. */
                            expires?: string;
                            /** @description User's password (encrypted). The mock never discloses one: always null, as in the documented examples. */
                            password?: string | null;
                            /** @description Date and time the user was created. */
                            creation?: string;
                            /** @description Date and time of the user's last modification. */
                            modification?: string;
                            /** @description Date and time of the user's last login. */
                            lastLogin?: string;
                        }[];
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
            /** @description 4XX */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
            /** @description 5XX */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
        };
    };
    getApiUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The unique identifier of the user. */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful. */
                        success?: boolean;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                        /** @description Unique identifier of the user. */
                        id?: string;
                        /** @description Name of the user. */
                        name: string;
                        /** @description Email of the user. */
                        email: string;
                        /** @description Country of the user. */
                        country: string;
                        /** @description Time zone of the user. */
                        timeZone: string;
                        /** @description Additional description of the user. */
                        description?: string;
                        /** @description Message associated with the user. */
                        message?: string | null;
                        /** @description Indicates whether the user is disabled. */
                        disabled?: boolean;
                        /** @description Message describing why the user is disabled. */
                        disabledMessage?: string | null;
                        /** @description Set of tags associated with the user. */
                        tags?: {
                            [key: string]: string;
                        };
                        /** @description List of user privileges. */
                        privileges?: string[];
                        /** @description Group to which the user belongs. */
                        group?: string;
                        /** @description Identifier of the user's device. */
                        deviceId?: string;
                        /** @description Number of devices managed by the user. */
                        adminDevices?: number;
                        /** @description Start date and time of the user's activity. */
                        from?: string;
                        /** @description Expiration date and time of the user. */
                        expires?: string;
                        /** @description User's password (encrypted). The mock never discloses one: always null, as in the documented examples. */
                        password?: string | null;
                        /** @description Date and time the user was created. */
                        creation?: string;
                        /** @description Date and time of the user's last modification. */
                        modification?: string;
                        /** @description Date and time of the user's last login. */
                        lastLogin?: string;
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
            /** @description 4XX */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
            /** @description 5XX */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Indicates whether the request was successful: false. */
                        success?: boolean;
                        /** @description Contains the error message if success is false. */
                        error?: string;
                        /** @description Current API usage by the user. */
                        apiUsage?: number;
                        /** @description Daily API usage by the user. */
                        apiDailyUsage?: number;
                    };
                };
            };
        };
    };
}
