// Generated from /api/openapi.json by `pnpm --filter @fms/server rest:types`. Do not edit.
export interface paths {
    "/vehicles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List vehicles (cursor pagination)
         * @description Calls the tRPC procedure `vehicles.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["vehicles.list"];
        put?: never;
        /**
         * Create a vehicle
         * @description Calls the tRPC procedure `vehicles.create`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["vehicles.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/vehicles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a vehicle
         * @description Calls the tRPC procedure `vehicles.byId`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["vehicles.byId"];
        put?: never;
        post?: never;
        /**
         * Delete a vehicle
         * @description Calls the tRPC procedure `vehicles.remove`, with the same input, rules and answer. An API key needs scope `write`.
         */
        delete: operations["vehicles.remove"];
        options?: never;
        head?: never;
        /**
         * Update a vehicle
         * @description Calls the tRPC procedure `vehicles.update`, with the same input, rules and answer. An API key needs scope `write`.
         */
        patch: operations["vehicles.update"];
        trace?: never;
    };
    "/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List devices (cursor pagination)
         * @description Calls the tRPC procedure `devices.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["devices.list"];
        put?: never;
        /**
         * Create a device
         * @description Calls the tRPC procedure `devices.create`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["devices.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a device
         * @description Calls the tRPC procedure `devices.byId`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["devices.byId"];
        put?: never;
        post?: never;
        /**
         * Delete a device
         * @description Calls the tRPC procedure `devices.remove`, with the same input, rules and answer. An API key needs scope `write`.
         */
        delete: operations["devices.remove"];
        options?: never;
        head?: never;
        /**
         * Update a device
         * @description Calls the tRPC procedure `devices.update`, with the same input, rules and answer. An API key needs scope `write`.
         */
        patch: operations["devices.update"];
        trace?: never;
    };
    "/drivers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List drivers (cursor pagination)
         * @description Calls the tRPC procedure `drivers.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["drivers.list"];
        put?: never;
        /**
         * Create a driver
         * @description Calls the tRPC procedure `drivers.create`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["drivers.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/drivers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a driver
         * @description Calls the tRPC procedure `drivers.byId`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["drivers.byId"];
        put?: never;
        post?: never;
        /**
         * Delete a driver
         * @description Calls the tRPC procedure `drivers.remove`, with the same input, rules and answer. An API key needs scope `write`.
         */
        delete: operations["drivers.remove"];
        options?: never;
        head?: never;
        /**
         * Update a driver
         * @description Calls the tRPC procedure `drivers.update`, with the same input, rules and answer. An API key needs scope `write`.
         */
        patch: operations["drivers.update"];
        trace?: never;
    };
    "/geofences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List geofences (cursor pagination)
         * @description Calls the tRPC procedure `geofences.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["geofences.list"];
        put?: never;
        /**
         * Create a geofence
         * @description Calls the tRPC procedure `geofences.create`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["geofences.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/geofences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a geofence
         * @description Calls the tRPC procedure `geofences.byId`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["geofences.byId"];
        put?: never;
        post?: never;
        /**
         * Delete a geofence
         * @description Calls the tRPC procedure `geofences.remove`, with the same input, rules and answer. An API key needs scope `write`.
         */
        delete: operations["geofences.remove"];
        options?: never;
        head?: never;
        /**
         * Update a geofence
         * @description Calls the tRPC procedure `geofences.update`, with the same input, rules and answer. An API key needs scope `write`.
         */
        patch: operations["geofences.update"];
        trace?: never;
    };
    "/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List vehicle groups (cursor pagination)
         * @description Calls the tRPC procedure `groups.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["groups.list"];
        put?: never;
        /**
         * Create a vehicle group
         * @description Calls the tRPC procedure `groups.create`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["groups.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a vehicle group
         * @description Calls the tRPC procedure `groups.byId`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["groups.byId"];
        put?: never;
        post?: never;
        /**
         * Delete a vehicle group
         * @description Calls the tRPC procedure `groups.remove`, with the same input, rules and answer. An API key needs scope `write`.
         */
        delete: operations["groups.remove"];
        options?: never;
        head?: never;
        /**
         * Update a vehicle group
         * @description Calls the tRPC procedure `groups.update`, with the same input, rules and answer. An API key needs scope `write`.
         */
        patch: operations["groups.update"];
        trace?: never;
    };
    "/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List commands to devices (cursor pagination)
         * @description Calls the tRPC procedure `commands.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["commands.list"];
        put?: never;
        /**
         * Queue a command for a device
         * @description Calls the tRPC procedure `commands.send`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["commands.send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/commands/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued command
         * @description Calls the tRPC procedure `commands.cancel`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["commands.cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/telemetry/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every vehicle's last known state
         * @description Calls the tRPC procedure `telemetry.latest`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["telemetry.latest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/vehicles/{vehicleId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A vehicle's track over [from, to), downsampled to at most maxPoints
         * @description Calls the tRPC procedure `telemetry.history`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["telemetry.history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/vehicles/{vehicleId}/points": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A vehicle's raw points over [from, to), a page at a time (cursor)
         * @description Calls the tRPC procedure `telemetry.points`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["telemetry.points"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alerts (cursor pagination)
         * @description Calls the tRPC procedure `alerts.list`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["alerts.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alerts/{id}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge an alert
         * @description Calls the tRPC procedure `alerts.acknowledge`, with the same input, rules and answer. An API key needs scope `write`.
         */
        post: operations["alerts.acknowledge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/trips": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Trips over [from, to)
         * @description Calls the tRPC procedure `reports.trips`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["reports.trips"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Daily summaries, from and to as days
         * @description Calls the tRPC procedure `reports.daily`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["reports.daily"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/drivers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per driver figures and score
         * @description Calls the tRPC procedure `reports.drivers`, with the same input, rules and answer. An API key needs scope `read`.
         */
        get: operations["reports.drivers"];
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
    schemas: {
        /** @description An error (RFC 9457 problem details), the same for every route. */
        Problem: {
            /** @constant */
            type: "about:blank";
            /** @description The HTTP status text */
            title: string;
            status: number;
            /** @description The tRPC error code, e.g. NOT_FOUND */
            code: string;
            /** @description What went wrong, for a person */
            detail: string;
            /** @description Input field -> messages, for invalid input */
            fieldErrors?: {
                [key: string]: string[];
            };
        };
    };
    responses: {
        /** @description Invalid input: `fieldErrors` names each field at fault */
        Problem400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No key or token, or one that is invalid, revoked or expired */
        Problem401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The caller's role or the key's scope does not allow this */
        Problem403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such object in the caller's organization */
        Problem404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflicts with an existing object (e.g. a code already in use) */
        Problem409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many calls with this key: wait for Retry-After seconds */
        Problem429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "vehicles.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "createdAt" | "code" | "vin";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
                groupId?: string;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "vehicles.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    vin: string;
                    plate?: string | null;
                    manufacturer?: string | null;
                    model?: string | null;
                    makeYear?: number | null;
                    /** @enum {string} */
                    status?: "active" | "inactive" | "maintenance" | "retired";
                    /** @enum {string} */
                    type?: "car" | "van" | "truck" | "bus" | "motorcycle" | "other";
                    color?: string | null;
                    description?: string | null;
                    odometerOffsetKm?: number;
                    engineHoursOffset?: number;
                    fuelTankLitres?: number | null;
                    groupIds?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "vehicles.byId": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "vehicles.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "vehicles.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    vin?: string;
                    plate?: string | null;
                    manufacturer?: string | null;
                    model?: string | null;
                    makeYear?: number | null;
                    /** @enum {string} */
                    status?: "active" | "inactive" | "maintenance" | "retired";
                    /** @enum {string} */
                    type?: "car" | "van" | "truck" | "bus" | "motorcycle" | "other";
                    color?: string | null;
                    description?: string | null;
                    odometerOffsetKm?: number;
                    engineHoursOffset?: number;
                    fuelTankLitres?: number | null;
                    groupIds?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "devices.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "createdAt" | "updatedAt";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
                vehicleId?: string;
                tokenId?: string;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "devices.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    macAddress?: string | null;
                    externalId?: string | null;
                    model?: string | null;
                    hwVersion?: string | null;
                    swVersion?: string | null;
                    /** @enum {string} */
                    status?: "active" | "inactive";
                    note?: string | null;
                    vehicleId?: string | null;
                    tokenId?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "devices.byId": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "devices.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "devices.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    macAddress?: string | null;
                    externalId?: string | null;
                    model?: string | null;
                    hwVersion?: string | null;
                    swVersion?: string | null;
                    /** @enum {string} */
                    status?: "active" | "inactive";
                    note?: string | null;
                    vehicleId?: string | null;
                    tokenId?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "drivers.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "createdAt" | "name";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "drivers.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    employeeNumber?: string | null;
                    phone?: string | null;
                    licenceNumber?: string | null;
                    licenceExpiry?: string | null;
                    identifier?: string | null;
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "drivers.byId": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "drivers.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "drivers.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name?: string;
                    employeeNumber?: string | null;
                    phone?: string | null;
                    licenceNumber?: string | null;
                    licenceExpiry?: string | null;
                    identifier?: string | null;
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "geofences.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "createdAt" | "name";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "geofences.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    shape: {
                        /** @constant */
                        type: "circle";
                        lat: number;
                        lon: number;
                        radiusM: number;
                    } | {
                        /** @constant */
                        type: "polygon";
                        points: [
                            number,
                            number
                        ][];
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "geofences.byId": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "geofences.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "geofences.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name?: string;
                    shape?: {
                        /** @constant */
                        type: "circle";
                        lat: number;
                        lon: number;
                        radiusM: number;
                    } | {
                        /** @constant */
                        type: "polygon";
                        points: [
                            number,
                            number
                        ][];
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "groups.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "name" | "createdAt";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "groups.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string | null;
                    vehicleIds?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "groups.byId": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "groups.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "groups.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string | null;
                    vehicleIds?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "commands.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "createdAt";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
                deviceId?: string;
                status?: "queued" | "sent" | "acknowledged" | "failed" | "expired" | "cancelled";
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "commands.send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    deviceId: string;
                    /** Format: date-time */
                    expiresAt?: string;
                    /** @constant */
                    type: "setReportInterval";
                    payload: {
                        seconds: number;
                    };
                } | {
                    /** Format: uuid */
                    deviceId: string;
                    /** Format: date-time */
                    expiresAt?: string;
                    /** @constant */
                    type: "custom";
                    payload: {
                        text: string;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "commands.cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "telemetry.latest": {
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "telemetry.history": {
        parameters: {
            query: {
                maxPoints?: number;
                from: string;
                to: string;
            };
            header?: never;
            path: {
                vehicleId: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "telemetry.points": {
        parameters: {
            query: {
                limit?: number;
                cursor?: string | null;
                from: string;
                to: string;
            };
            header?: never;
            path: {
                vehicleId: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "alerts.list": {
        parameters: {
            query?: {
                search?: string;
                sort?: "time";
                order?: "asc" | "desc";
                cursor?: string;
                limit?: number;
                vehicleId?: string;
                kind?: "overspeed" | "high_rpm" | "low_fuel" | "fuel_drop" | "refuel" | "overheat" | "idle" | "harsh" | "offline" | "geofence_enter" | "geofence_exit" | "anomaly" | "unknown_driver" | "maintenance_due";
                from?: string;
                to?: string;
                isAcknowledged?: boolean;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "alerts.acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "reports.trips": {
        parameters: {
            query: {
                vehicleId?: string;
                from: string;
                to: string;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "reports.daily": {
        parameters: {
            query: {
                vehicleId?: string;
                includeDays?: boolean;
                from: string;
                to: string;
                timeZone?: string;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    "reports.drivers": {
        parameters: {
            query: {
                driverId?: string;
                timeZone?: string;
                from: string;
                to: string;
            };
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
                    "application/json": unknown;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
}
